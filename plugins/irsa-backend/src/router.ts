import type {
  AuditorService,
  BackstageCredentials,
  CacheService,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  type ClusterRegistry,
  type IrsaService,
  RequestAuthorizer,
  withRequestSignal,
} from '@backstage-irsa/plugin-irsa-node';
import {
  type OverallStatus,
  type OverviewSortKey,
  type OverviewSortOrder,
  irsaOverviewReadPermission,
  irsaStatusReadPermission,
  overviewCsv,
  irsaVerifyPermission,
  parseRequestEntityRef,
} from '@backstage-irsa/plugin-irsa-common';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import express from 'express';
import Router from 'express-promise-router';
import {
  BODY_LIMIT,
  bodyParserErrors,
  formNamespacesQuery,
  formPreviewBody,
  orphansQuery,
  overviewExportQuery,
  overviewQuery,
  parseRequest,
  statusQuery,
  verifyBody,
} from './requestSchemas';
import { VerifyRateLimiter } from './verifyRateLimiter';

/** Entity refs asked of the catalog at once (one by-refs request each). */
const ENTITY_BATCH = 500;

export interface RouterOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  catalog: CatalogService;
  clusterRegistry: ClusterRegistry;
  irsaService: IrsaService;
  auditor: AuditorService;
  cache: CacheService;
}

/**
 * The HTTP API of the IRSA plugin, mounted at `/api/irsa`. Thin by design: it checks who
 * calls and what they may see, then hands over to the services; errors thrown here are
 * `@backstage/errors` and the backend's error middleware turns them into responses.
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, permissions, catalog, clusterRegistry, irsaService } =
    options;
  const limiter = new VerifyRateLimiter(
    options.cache,
    clusterRegistry.verifyRateLimit,
  );
  const router = Router();
  router.use(express.json({ limit: BODY_LIMIT }));
  router.use(bodyParserErrors);

  // Liveness for load balancers and the smoke test; unauthenticated (see plugin.ts).
  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  // The configured clusters, for the template form and the card, each with the accounts
  // its roles may live in. No connection details.
  router.get('/clusters', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    res.json({ items: irsaService.form.clusters() });
  });

  // The template form's field extensions. The entity's routes check what the actions check
  // first (the same RequestAuthorizer: a signed-in user who sees the entity and holds
  // irsa.binding.create on it), so the form reveals nothing the request would not.
  const requests = new RequestAuthorizer({
    registry: clusterRegistry,
    catalog,
    permissions,
  });

  // The cluster's namespaces, each allowed or refused for the entity, with the reason.
  router.get('/form/namespaces', async (req, res) => {
    const query = parseRequest(formNamespacesQuery, req.query, 'query');
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const { entity } = await requests.authorizeBinding(
      query.entityRef,
      credentials,
    );
    const items = await irsaService.form.namespaces(query.cluster, entity);
    res.json({ items });
  });

  // The presets and allow-listed managed policies of the config; no policy document.
  router.get('/form/policies', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user'] });
    res.json(irsaService.form.policies());
  });

  // The role a request would make and every problem the actions would refuse, per field.
  // Computed from config and the validators only: no AWS or Kubernetes call.
  router.post('/form/preview', async (req, res) => {
    const body = parseRequest(formPreviewBody, req.body, 'body');
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const { entity, entityRef } = await requests.authorizeBinding(
      body.entityRef,
      credentials,
    );
    res.json(irsaService.form.preview(entity, { ...body, entityRef }));
  });

  /**
   * The entity, when the caller can see it (404 otherwise, whether it is missing or
   * hidden) and holds `permission` on it (403).
   */
  async function authorizedEntity(
    credentials: BackstageCredentials,
    rawRef: string,
    permission: typeof irsaStatusReadPermission,
    what: string,
  ) {
    const parsed = parseRequestEntityRef(rawRef);
    if (!parsed.ok) {
      throw new InputError(`entityRef: ${parsed.problems[0].message}`);
    }
    const entityRef = parsed.value.ref;
    // Both asked at once: two round trips to other plugins that do not depend on each other,
    // which a cold card waited for one after the other (docs/benchmarks.md). Visibility is
    // still decided first: a hidden entity is 404 whatever the decision.
    const [entity, [decision]] = await Promise.all([
      catalog.getEntityByRef(entityRef, { credentials }),
      permissions.authorize([{ permission, resourceRef: entityRef }], {
        credentials,
      }),
    ]);
    if (!entity) {
      throw new NotFoundError(`No entity ${entityRef} in the catalog`);
    }
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`Not allowed to ${what} of ${entityRef}`);
    }
    return { entity, entityRef };
  }

  // The entity's IRSA bindings and every check of each. Read-only, but it reveals role
  // ARNs and trust findings, so it follows catalog visibility and irsa.status.read.
  router.get('/status', async (req, res) => {
    const query = parseRequest(statusQuery, req.query, 'query');
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const started = performance.now();
    const { entity } = await authorizedEntity(
      credentials,
      query.entityRef,
      irsaStatusReadPermission,
      'read the IRSA status',
    );
    const authorized = performance.now();
    // When the client goes away, its queued peer calls are dropped (see
    // docs/configuration.md, call budget): a page closed mid-load costs nothing more.
    const gone = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) gone.abort();
    });
    const report = await withRequestSignal(gone.signal, () =>
      irsaService.status.getStatus(entity, { fresh: query.fresh === 'true' }),
    );
    if (gone.signal.aborted) return;
    // Where the time went (catalog and permission checks, then the status itself), for
    // browsers' network panels and the benchmark; durations only, nothing of the report.
    res.setHeader(
      'Server-Timing',
      `access;dur=${(authorized - started).toFixed(
        1,
      )};desc="catalog and permission", ` +
        `status;dur=${(performance.now() - authorized).toFixed(1)}`,
    );
    res.json(report);
  });

  /** The overview names every team's roles: irsa.overview.read (platform teams) only. */
  async function requireOverviewRead(credentials: BackstageCredentials) {
    const [decision] = await permissions.authorize(
      [{ permission: irsaOverviewReadPermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        'Not allowed to read the IRSA overview (irsa.overview.read)',
      );
    }
  }

  /** Runs `work` under a signal that ends when the client goes away (call budget). */
  async function whileConnected<T>(
    res: express.Response,
    work: () => Promise<T>,
  ): Promise<T | undefined> {
    const gone = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) gone.abort();
    });
    const result = await withRequestSignal(gone.signal, work);
    return gone.signal.aborted ? undefined : result;
  }

  const overviewFilters = (query: {
    cluster?: string;
    namespace?: string;
    entityRef?: string;
    status?: OverallStatus[];
    sort?: OverviewSortKey;
    order?: OverviewSortOrder;
    fresh?: 'true' | 'false';
  }) => ({
    cluster: query.cluster,
    namespace: query.namespace,
    entityRef: query.entityRef,
    status: query.status,
    sort: query.sort,
    order: query.order,
    fresh: query.fresh === 'true',
  });

  // The platform overview: every ServiceAccount the product manages, on every cluster,
  // paged, filtered and sorted.
  router.get('/overview', async (req, res) => {
    const query = parseRequest(overviewQuery, req.query, 'query');
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    await requireOverviewRead(credentials);
    const page = await whileConnected(res, () =>
      irsaService.overview.list({
        page: query.page,
        pageSize: query.pageSize,
        ...overviewFilters(query),
      }),
    );
    if (page) res.json(page);
  });

  // Every row the filters match, each checked, as CSV (cells a spreadsheet would run as
  // formulas defused) or JSON. Audited: it is the whole company's list at once.
  router.get('/overview/export', async (req, res) => {
    const query = parseRequest(overviewExportQuery, req.query, 'query');
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const format = query.format ?? 'csv';
    const filters = overviewFilters(query);
    const event = await options.auditor.createEvent({
      eventId: 'overview-export',
      severityLevel: 'low',
      request: req,
      meta: { format, ...filters },
    });
    try {
      await requireOverviewRead(credentials);
      const found = await whileConnected(res, () =>
        irsaService.overview.listAll(filters),
      );
      if (!found) return;
      await event.success({ meta: { format, rows: found.items.length } });
      const name = `irsa-overview.${format}`;
      res.setHeader('Content-Disposition', `attachment; filename="${name}"`);
      if (format === 'csv') {
        res.type('text/csv; charset=utf-8').send(overviewCsv(found.items));
      } else {
        res.json({
          generatedAt: new Date().toISOString(),
          items: found.items,
          checks: found.checks,
        });
      }
    } catch (error) {
      await event.fail({ error: error as Error });
      throw error;
    }
  });

  /**
   * Which refs the catalog has for the reader (lower-cased), in batches: an entity the
   * reader cannot see counts as missing, as it would on its own page.
   */
  async function entitiesFound(
    refs: string[],
    credentials: BackstageCredentials,
  ): Promise<Set<string>> {
    const found = new Set<string>();
    // A tag that is not a valid ref names no entity; the catalog would refuse the batch.
    const valid = refs.filter(r => parseRequestEntityRef(r).ok);
    for (let i = 0; i < valid.length; i += ENTITY_BATCH) {
      const batch = valid.slice(i, i + ENTITY_BATCH);
      const { items } = await catalog.getEntitiesByRefs(
        {
          entityRefs: batch,
          fields: ['kind', 'metadata.namespace', 'metadata.name'],
        },
        { credentials },
      );
      items.forEach((entity, j) => {
        if (entity) found.add(batch[j].toLocaleLowerCase('en-US'));
      });
    }
    return found;
  }

  // The leftovers: roles of the product whose entity left the catalog (kind=roles), and
  // ServiceAccounts of the product whose role is gone (kind=serviceAccounts).
  router.get('/overview/orphans', async (req, res) => {
    const query = parseRequest(orphansQuery, req.query, 'query');
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    await requireOverviewRead(credentials);
    const paging = {
      page: query.page,
      pageSize: query.pageSize,
      fresh: query.fresh === 'true',
      cluster: query.cluster,
      namespace: query.namespace,
      entityRef: query.entityRef,
    };
    const page = await whileConnected<object>(res, () =>
      query.kind === 'roles'
        ? irsaService.overview.orphanRoles(paging, refs =>
            entitiesFound(refs, credentials),
          )
        : irsaService.overview.roleGone(paging),
    );
    if (page) res.json(page);
  });

  // Live STS verify of one of the entity's ServiceAccounts (never an arbitrary one): the
  // answer says who AWS made us and carries no token or credential. People only: it is
  // rate-limited per user.
  router.post('/verify', async (req, res) => {
    const body = parseRequest(verifyBody, req.body, 'body');
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const meta = {
      entityRef: body.entityRef,
      cluster: body.cluster,
      namespace: body.namespace,
      serviceAccount: body.serviceAccount,
    };
    const event = await options.auditor.createEvent({
      eventId: 'verify',
      severityLevel: 'medium',
      request: req,
      meta,
    });
    try {
      const { entity, entityRef } = await authorizedEntity(
        credentials,
        body.entityRef,
        irsaVerifyPermission,
        'verify the AWS access',
      );
      const decision = await limiter.take(
        credentials.principal.userEntityRef,
        entityRef,
      );
      if (!decision.allowed) {
        const message =
          `Too many verifies for this ${decision.scope}: at most ${decision.limit.limit} per ` +
          `${decision.limit.windowSeconds} s (irsa.verify.rateLimit). Try again in ${decision.retryAfterSeconds} s.`;
        await event.fail({
          error: Object.assign(new Error(message), {
            name: 'TooManyRequestsError',
          }),
          meta: { ...meta, entityRef, rateLimited: decision.scope },
        });
        // @backstage/errors has no 429 error, so answer in the shape its handler uses.
        res.setHeader('Retry-After', String(decision.retryAfterSeconds));
        res.status(429).json({
          error: { name: 'TooManyRequestsError', message },
          request: { method: req.method, url: req.url },
          response: { statusCode: 429 },
        });
        return;
      }
      const target = {
        cluster: body.cluster,
        namespace: body.namespace,
        name: body.serviceAccount,
      };
      if (!(await irsaService.status.isBindingOf(entity, target))) {
        throw new NotAllowedError(
          `${body.namespace}/${body.serviceAccount} on cluster ${body.cluster} is not a ServiceAccount of ${entityRef}: ` +
            'only ServiceAccounts backstage-irsa created for it, or its own in a namespace it may use, can be verified.',
        );
      }
      const result = await irsaService.verify.verify(target);
      await event.success({
        meta: {
          ...meta,
          entityRef,
          ok: result.ok,
          stsCalled: result.stsCalled,
          roleArn: result.roleArn,
          code: result.check.code,
          ...(result.stsErrorCode ? { stsErrorCode: result.stsErrorCode } : {}),
          ...(result.assumedRoleArn
            ? { assumedRoleArn: result.assumedRoleArn }
            : {}),
        },
      });
      res.json(result);
    } catch (error) {
      await event.fail({ error: error as Error, meta });
      throw error;
    }
  });

  return router;
}
