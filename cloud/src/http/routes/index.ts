// All route handlers, one per contract endpoint (the type makes a missing handler a compile error).
import type { EndpointName } from '../../../../contract/cloud';
import { authRoutes } from './auth';
import { companyRoutes } from './company';
import { billingRoutes } from './billing';
import { actRoutes } from './acts';
import { miscRoutes } from './misc';
import { supportRoutes } from './support';
import type { Handlers } from './types';

export { RawJson } from './types';

export const ROUTES: Handlers<EndpointName> = { ...authRoutes, ...companyRoutes, ...billingRoutes, ...actRoutes, ...miscRoutes, ...supportRoutes };
