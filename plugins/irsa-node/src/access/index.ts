export { RequestAuthorizer } from './RequestAuthorizer';
export type {
  AuthorizedBinding,
  AuthorizedRetirement,
  BindingEntity,
  EntityReader,
} from './RequestAuthorizer';
export {
  assertNamespaceOfEntity,
  assertRoleAccount,
  namespaceRefusal,
} from './bindingPolicy';
