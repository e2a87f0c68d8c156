import { createTranslationRef } from '@backstage/core-plugin-api/alpha';

/**
 * Every user-facing string of the IRSA card, so adopters can translate or reword them.
 * @alpha
 */
export const irsaTranslationRef = createTranslationRef({
  id: 'irsa',
  messages: {
    card: {
      title: 'AWS access (IRSA)',
      loadError: 'Could not load the IRSA status',
      refresh: 'Refresh',
      generatedAt: 'Checked {{time}}',
      requestAccess: 'Request AWS access',
      noServiceAccounts: {
        title: 'This service has no AWS access yet',
        description:
          'Once it has, this card shows the AWS role its pods run as, whether the trust between its Kubernetes ServiceAccount and that role is set up right (every check with its fix), and lets you prove it live with AWS. "Request AWS access" creates the role and the ServiceAccount for you; they appear here by themselves. A ServiceAccount made another way can be named in the service\'s catalog-info.yaml: {{annotation}}',
      },
    },
    overall: {
      status: {
        trusted: 'Trusted',
        warning: 'Warning',
        broken: 'Broken',
        unknown: 'Unknown',
      },
      summary: {
        trusted:
          'Every check passed: the trust between these ServiceAccounts and their AWS roles is in place.',
        warning:
          'AWS access works, with caveats worth fixing; see the warnings below.',
        broken:
          'At least one check failed, so the pods concerned get no AWS credentials. Each failed check says how to fix it.',
        unknown:
          'Some checks could not be decided; Backstage could not read everything it checks.',
      },
    },
    troubleshooting: {
      title: 'Troubleshooting AWS access (IRSA)',
      subtitle:
        'What each check on the AWS access card means, and how to fix it',
    },
    entityChecks: {
      title: 'Catalog entry',
    },
    binding: {
      onCluster: 'on cluster {{cluster}}',
      role: 'Role',
      copyArn: 'Copy the role ARN',
      copied: 'Role ARN copied',
      openConsole: 'Open in the AWS console (account {{account}})',
      notBound:
        'Not bound: no role ARN was found for this ServiceAccount, so its pods get no AWS credentials; the checks below say why.',
      pods_one: '1 pod uses this ServiceAccount.',
      pods_other: '{{count}} pods use this ServiceAccount.',
      podsNeedRestart:
        'Restart to pick up the role (started before it was bound):',
    },
    verify: {
      button: 'Verify with AWS',
      running: 'Verifying…',
      notAllowed: "You may not verify this service's AWS access.",
      hint: 'Mints a short-lived token for this ServiceAccount and logs in to AWS STS with it, as a pod would; the session can do nothing.',
      ok: 'AWS says you are',
      failed: 'Could not verify',
    },
    check: {
      status: {
        pass: 'Pass',
        warn: 'Warning',
        fail: 'Fail',
        unknown: 'Unknown',
        notApplicable: 'Not applicable yet',
      },
      fix: 'Fix:',
      troubleshooting: 'Troubleshooting',
      troubleshootingFor: 'Troubleshooting {{code}}',
      showPassed_one: 'Show 1 passed check',
      showPassed_other: 'Show {{count}} passed checks',
      hidePassed_one: 'Hide 1 passed check',
      hidePassed_other: 'Hide {{count}} passed checks',
    },
    overview: {
      title: 'AWS access across the company',
      subtitle:
        'Every ServiceAccount backstage-irsa manages, on every cluster, and what is left over',
      navTitle: 'AWS access',
      tabs: { bindings: 'ServiceAccounts', orphans: 'Orphans' },
      notAllowed: {
        title: 'You may not see the AWS access overview',
        description:
          "It names every team's ServiceAccounts and AWS roles, so it needs the irsa.overview.read permission, which the permission policy gives to the platform team (overviewReaders). Ask them for it, or find a service's AWS access on its own page.",
      },
      loadError: 'Could not load the overview',
      incomplete: 'Part of the overview could not be read',
      refresh: 'Refresh',
      exportCsv: 'Export CSV',
      exportJson: 'Export JSON',
      exportFailed: 'Could not export the overview',
      filters: {
        cluster: 'Cluster',
        anyCluster: 'Any cluster',
        namespace: 'Namespace',
        entity: 'Owner entity',
        entityPlaceholder: 'component:default/payments-api',
        status: 'Status',
        anyStatus: 'Any status',
        apply: 'Press Enter to apply',
      },
      columns: {
        cluster: 'Cluster',
        serviceAccount: 'Namespace / ServiceAccount',
        owner: 'Owner',
        role: 'Role ARN',
        status: 'Status',
        problem: 'First failing check',
        account: 'Account',
        entityGone: 'Entity (not in the catalog)',
        madeFor: 'Made for',
        created: 'Created',
        check: 'Check',
        actions: 'Clean up',
      },
      noOwner: 'no owner recorded',
      noRole: 'none',
      noProblem: 'none',
      orphanRoles: {
        title: 'Roles whose entity is gone',
        description:
          'Roles backstage-irsa made (tagged backstage-irsa:managed-by) for an entity that is no longer in the catalog, or that you cannot see. Nobody owns them any more; their trust may still let a ServiceAccount in.',
        empty: 'No orphaned roles.',
      },
      roleGone: {
        title: 'ServiceAccounts whose role is gone',
        description:
          'ServiceAccounts backstage-irsa made whose annotated IAM role no longer exists (P4): their pods get no AWS credentials.',
        empty: 'No ServiceAccount has lost its role.',
      },
      remove: 'Remove AWS access',
      unknownPlace: 'ServiceAccount unknown',
    },
  },
});
