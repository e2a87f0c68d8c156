/**
 * The IRSA model shared by the backstage-irsa card, backend and actions: names and ARNs,
 * validators, the trust policy builder, evaluator and lint, the failure catalogue, status
 * report types and permissions. Pure TypeScript for browser and Node.
 *
 * @packageDocumentation
 */

export type { Problem, ValidationResult, ParseResult } from './problems';
export { problemsOf, quote, QUOTE_MAX_CHARACTERS } from './problems';
export * from './constants';
export * from './isIrsaAvailable';
export * from './serviceAccountsAnnotation';
export * from './serviceAccountSubject';
export * from './partition';
export * from './arn';
export * from './consoleUrl';
export * from './formContract';
export * from './requestAccessFormData';
export * from './issuer';
export * from './permissions';
export * from './failureCatalogue';
export * from './statusReport';
export * from './podChecks';
export * from './roleChecks';

export * from './validators/accountId';
export * from './validators/audience';
export * from './validators/iamNames';
export * from './validators/kubernetesNames';
export * from './validators/policyArns';
export {
  iamPolicySize,
  validateTrustPolicySize,
  DEFAULT_ROLE_INLINE_POLICIES_SIZE_LIMIT,
  MANAGED_POLICY_SIZE_LIMIT,
} from './validators/policySize';
export * from './validators/policyDocuments';
export * from './validators/tags';
export * from './validators/policyPresets';
export * from './validators/inlinePolicyRules';
export * from './validators/serviceAccountPattern';

export * from './trustPolicy/types';
export * from './trustPolicy/stringMatch';
export * from './trustPolicy/conditionOperators';
export * from './trustPolicy/parsePolicyDocument';
export * from './trustPolicy/canonicalPolicy';
export * from './trustPolicy/requestContext';
export * from './trustPolicy/buildTrustPolicy';
export * from './trustPolicy/clusterStatements';
export * from './trustPolicy/removeTrustSubject';
export * from './trustPolicy/evaluateTrustPolicy';
export * from './trustPolicy/lintTrustPolicy';
export * from './iam/managerPolicy';
export * from './discoveryChecks';

export * from './ownership/requestEntityRef';
export * from './ownership/namespaceOwnership';
export * from './overview';
export * from './overviewCsv';
