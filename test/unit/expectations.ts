/**
 * The expected outcome of every response example in the OpenAPI document, keyed
 * by status and example name as the document has them (the examples themselves
 * are loaded from the document, not copied here).
 */
import { DASHBOARD_URL, PLANS_URL, type FailureAction, type FailureKind } from '../../src/core/errors';
import type { WaitReason } from '../../src/core/retry';
import type { ResponseExample } from '../support/openapi';

/** What each documented example must become. Keyed by status and example name from the document. */
export interface ExpectedOutcome {
  kind: FailureKind | 'success';
  actions?: FailureAction[];
  url?: string;
  retry?: WaitReason;
  maxRetries?: number;
  message?: RegExp;
}

export const EXPECTED_BY_EXAMPLE: Record<string, ExpectedOutcome> = {
  '200 example': { kind: 'success' },
  '400 validationError': { kind: 'validation', actions: ['openForm', 'showLog'], message: /^Context7 rejected the request: Library name is required\. Check the form/ },
  '400 invalidLibraryId': { kind: 'validation', actions: ['openForm', 'showLog'], message: /Invalid library ID format/ },
  '401 example': { kind: 'invalid_api_key', actions: ['setApiKey'], url: DASHBOARD_URL, message: /^Context7 rejected the API key\. Run "Context7: Set API Key"/ },
  '403 accessDenied': { kind: 'access_denied', actions: ['openDashboard', 'showLog'], url: DASHBOARD_URL, message: /denied access.*not included in your allowed libraries/ },
  '403 insufficientRole': { kind: 'forbidden_role', actions: ['openDashboard'], url: DASHBOARD_URL, message: /^Only owners and admins/ },
  '403 planRequired': { kind: 'forbidden_plan', actions: ['openPlans'], url: PLANS_URL, message: /Pro or Enterprise plan.*https:\/\/context7\.com\/plans/ },
  '409 example': { kind: 'duplicate', actions: ['openDashboard'], url: DASHBOARD_URL, message: /already been added/ },
  '429 example': { kind: 'rate_limited', actions: ['retry', 'showLog'], retry: 'rate_limited', message: /limiting the rate/ },
  '500 example': { kind: 'server_error', actions: ['retry', 'showLog'], retry: 'server_error', message: /internal error \(HTTP 500\)/ },
  '504 example': { kind: 'gateway_timeout', actions: ['openDashboard', 'retry', 'showLog'], url: DASHBOARD_URL, retry: 'gateway_timeout', maxRetries: 1, message: /timed out.*may still have been submitted/ },
};

export function exampleKey(example: ResponseExample): string {
  return `${example.status} ${example.name}`;
}
