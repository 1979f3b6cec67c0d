import path from 'node:path';
import { fileURLToPath } from 'node:url';
import cookieParser from 'cookie-parser';
import express, { type Express, type RequestHandler } from 'express';
import { apiRoutes, type ApiOptions } from '../api/api.routes.js';
import { configureAudit } from '../audit/audit.settings.js';
import { authRoutes } from '../auth/auth.routes.js';
import { readCustomerSession, requireLiveSession } from '../auth/session.middleware.js';
import { SessionCodec } from '../auth/session.js';
import { CampaignCache } from '../campaigns/campaign.cache.js';
import { campaignIndex, campaignLoader, campaignPages } from '../redemption/campaign-pages.routes.js';
import { isOpsRequest, renderOpsError } from '../operators/ops.errors.js';
import { readStaffSession } from '../operators/ops.middleware.js';
import { opsRoutes, type OpsRouterFactory } from '../operators/ops.routes.js';
import { consoleSections } from './console-sections.js';
import type { QueueSource } from '../background/jobs.routes.js';
import { StaffSessionCodec } from '../operators/staff-session.js';
import type { OpsContext } from '../operators/ops.context.js';
import { checksSessionItself, redemptionRoutes } from '../redemption/redemption.routes.js';
import type { AppDeps } from '../platform/deps.js';
import type { Config } from '../platform/config.js';
import { errorHandler, notFoundHandler } from '../platform/http/error-handler.js';
import { healthRoutes, type ReadinessProbe } from '../platform/http/health.routes.js';
import { timeRequests } from '../platform/http/time-requests.js';
import {
  DEFAULT_REQUEST_LIMITS,
  requestLimits,
  type RequestLimits,
} from '../platform/http/request-limits.js';
import { requestLog } from '../platform/http/request-log.js';
import { canonicalOpsPath, csrfProtection, securityHeaders } from '../platform/http/security.js';
import { ejsViewEngine } from '../platform/http/view-engine.js';
import { viewHelpers } from './view-helpers.js';
import { language } from '../platform/http/language.js';
import { letterRoutes, unknownCampaignLetter } from '../letters/letter.routes.js';
import type { WebContext } from '../auth/web-context.js';
import { projectRoot } from '../platform/project-root.js';

const root = projectRoot(path.dirname(fileURLToPath(import.meta.url)));

export interface AppOptions {
  readinessProbes?: ReadinessProbe[];
  /** BullMQ queues (or how to make them on first use), for the console's job pages. */
  queues?: QueueSource;
  /** Operator console sections (defaults to all of them). */
  opsSections?: OpsRouterFactory[];
  /** How long and how large a request may be (tests shorten them). */
  requestLimits?: Partial<RequestLimits>;
  /** The JSON API's request limits (tests lower them). */
  api?: Partial<ApiOptions>;
}

/** Builds the app without listening: the server and the tests both use it. */
export function createApp(deps: AppDeps, options: AppOptions = {}): Express {
  configureAudit(deps.config);
  const app = express();
  configureExpress(app, deps.config);
  app.use(requestLog(deps.logger));
  app.use(requestLimits({ ...DEFAULT_REQUEST_LIMITS, ...options.requestLimits }));
  app.use(canonicalOpsPath);
  app.use(securityHeaders(deps.config.SECURE_COOKIES));
  serveStaticAssets(app);
  app.use(timeRequests);
  // Routes, not a router every request walks through: the probes' router sees only its two paths.
  app.get(['/healthz', '/readyz'], healthRoutes(deps, options.readinessProbes));
  // Before cookies, sessions and CSRF: the API reads no cookie and authenticates by bearer token.
  app.use('/api', apiRoutes(deps, options.api));

  app.use(cookieParser());
  app.use(language(deps.config.SECURE_COOKIES, isOpsRequest));
  app.use(onlyWithBody(express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 50 })));
  app.use((_req, res, next) => {
    // Pages carry personal data: never cached by the browser or a proxy.
    res.setHeader('Cache-Control', 'no-store');
    next();
  });

  const { customer, staff } = installSessions(app, deps);
  app.use('/ops', opsRoutes(staff, options.opsSections ?? consoleSections(options.queues)));
  app.get('/', campaignIndex(customer));
  // One router for a campaign's pages: the loader, then every route, the busiest first.
  const perCampaign = express.Router({ mergeParams: true });
  perCampaign.use(campaignLoader(customer));
  redemptionRoutes(customer, perCampaign);
  authRoutes(customer, perCampaign);
  campaignPages(customer, perCampaign);
  perCampaign.use(letterRoutes(customer));
  // A letter's QR code naming no campaign of ours still gets a plain answer (src/letters).
  const unknownLetter = unknownCampaignLetter(customer);
  app.use('/c/:slug', (req, res, next) =>
    /^\/letter\//i.test(req.path) ? unknownLetter(req, res, next) : next(),
  );
  app.use('/c/:slug', perCampaign);

  app.use(notFoundHandler);
  // The console shows its errors in its own layout; customers keep their error page.
  app.use(errorHandler(deps.logger, [{ matches: isOpsRequest, render: renderOpsError }]));
  return app;
}

/** Runs `handler` for requests that may carry a form (not GET, HEAD or OPTIONS), skips it for the rest. */
function onlyWithBody(handler: RequestHandler): RequestHandler {
  return (req, res, next) => (READ_ONLY.has(req.method) ? next() : handler(req, res, next));
}
const READ_ONLY = new Set(['GET', 'HEAD', 'OPTIONS']);

function configureExpress(app: Express, config: Config): void {
  app.disable('x-powered-by');
  // Pages are never cached (no-store): an ETag would only hash each page, personal data included.
  app.set('etag', false);
  app.set('trust proxy', config.TRUST_PROXY_HOPS);
  app.set('view engine', 'ejs');
  app.engine('ejs', ejsViewEngine());
  app.set('views', path.join(root, 'views'));
  // Templates compiled once, except while developing them.
  if (config.NODE_ENV !== 'development') app.enable('view cache');
  Object.assign(app.locals, viewHelpers);
}

function serveStaticAssets(app: Express): void {
  app.use('/static', express.static(path.join(root, 'views/static'), { maxAge: '1h', index: false }));
  // Browsers ask for it by themselves (for a CSV download too): an icon, not a 404 per page in the log.
  app.get('/favicon.ico', (_req, res) =>
    res.sendFile(path.join(root, 'views/static/favicon.ico'), {
      maxAge: '1d',
      headers: { 'Cache-Control': 'public, max-age=86400' },
    }),
  );
}

/** Customer and staff sessions (separate keys and cookies), CSRF, and the contexts routers receive. */
function installSessions(app: Express, deps: AppDeps): { customer: WebContext; staff: OpsContext } {
  const { config } = deps;
  const secure = config.SECURE_COOKIES;
  const sessions = new SessionCodec(config.SESSION_SECRET, config.SESSION_MINUTES);
  const staffSessions = new StaffSessionCodec(config.STAFF_SESSION_SECRET);
  app.use(readCustomerSession(sessions, secure, deps.now));
  // A signed token is not enough: its session row must still exist (logout, reissue, erasure end it).
  app.use(requireLiveSession(deps.db, secure, deps.now, checksSessionItself));
  app.use('/ops', readStaffSession(staffSessions, deps));
  const csrf = csrfProtection(config.CSRF_SECRET, secure);
  // Only a request that can change something is checked; a page only reads (it may issue a token).
  app.use(onlyWithBody(csrf.doubleCsrfProtection));
  const csrfToken: WebContext['csrfToken'] = (req, res) => csrf.generateCsrfToken(req, res);
  return {
    customer: { deps, sessions, campaigns: new CampaignCache(deps.db), csrfToken },
    staff: {
      deps,
      sessions: staffSessions,
      csrfToken,
      validateCsrf: (req) => csrf.validateRequest(req),
    },
  };
}
