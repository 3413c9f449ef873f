import { DomainError } from '../domain-error';
import { TOKEN_PATTERN } from '../random-token';
import { refuseForbiddenKeys } from '../validation';

/** The media types browsers send CSP reports with: `report-uri` and the Reporting API (`report-to`). */
export const CSP_REPORT_TYPES = ['application/csp-report', 'application/reports+json'] as const;

/** A violation as the store keeps it: trimmed, URLs without query, fragment or capability tokens. */
export interface ReportedViolation {
  readonly page: string;
  readonly directive: string;
  readonly blockedUrl: string;
  readonly sourceFile: string | null;
  readonly disposition: 'enforce' | 'report';
}

/** A Reporting API batch holds at most this many reports the store looks at. */
const MAX_REPORTS = 20;
const URL_LENGTH = 500;

const invalid = (message: string) => new DomainError('invalid_input', 'invalid_csp_report', message);

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A reported URL as stored: origin and path only (queries and fragments may carry anything a
 * page was given), with capability tokens (`/checkout/<token>`) replaced by `:token`, so reports
 * of one page add up. Keywords browsers send instead of a URL (`inline`, `eval`, `data`) are kept.
 */
export function storedUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return /^[a-z][a-z0-9-]{0,31}$/i.test(value) ? value.toLowerCase() : 'unknown';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return url.protocol.replace(/:$/, '');
  const path = url.pathname
    .split('/')
    .map((segment) => (TOKEN_PATTERN.test(segment) ? ':token' : segment))
    .join('/');
  return `${url.origin}${path}`.slice(0, URL_LENGTH);
}

function text(report: Record<string, unknown>, field: string, required: boolean): string | null {
  const value = report[field];
  if (value === undefined || value === null || value === '') {
    if (required) throw invalid(`The CSP report has no "${field}"`);
    return null;
  }
  if (typeof value !== 'string') throw invalid(`The CSP report's "${field}" must be a string`);
  if (value.length > 4096) throw invalid(`The CSP report's "${field}" is longer than 4096 characters`);
  return value;
}

/** One report's fields, under either format's names. */
function violation(
  report: Record<string, unknown>,
  names: { page: string; directive: string; blocked: string; source: string },
): ReportedViolation {
  const directive = text(report, names.directive, true)!.trim().split(/\s+/)[0].toLowerCase();
  if (!/^[a-z-]{1,64}$/.test(directive)) throw invalid('The CSP report names no valid directive');
  const source = text(report, names.source, false);
  return {
    page: storedUrl(text(report, names.page, true)!),
    directive,
    blockedUrl: storedUrl(text(report, names.blocked, false) ?? 'inline'),
    sourceFile: source === null ? null : storedUrl(source),
    disposition: report.disposition === 'report' ? 'report' : 'enforce',
  };
}

/**
 * Reads a CSP violation report body: `application/csp-report` (`{"csp-report": {…}}`, sent for
 * `report-uri`) or `application/reports+json` (a Reporting API array, of which only
 * `csp-violation` reports are kept).
 *
 * @throws DomainError `invalid_input` naming what is wrong; nothing of a refused body is stored
 */
export function parseCspReports(contentType: string, body: unknown): ReportedViolation[] {
  // Browsers add fields with every release, so unknown ones are ignored, but never these keys.
  refuseForbiddenKeys(body, 'CSP report');
  if (contentType === 'application/csp-report') {
    if (!isRecord(body) || !isRecord(body['csp-report'])) throw invalid('A CSP report must be a JSON object with a "csp-report" object');
    // CSP level 2 browsers name the directive only in violated-directive.
    const report = body['csp-report'];
    const directive = report['effective-directive'] ? 'effective-directive' : 'violated-directive';
    return [violation(report, { page: 'document-uri', directive, blocked: 'blocked-uri', source: 'source-file' })];
  }
  if (!Array.isArray(body)) throw invalid('A Reporting API body must be a JSON array of reports');
  if (body.length > MAX_REPORTS) throw invalid(`A Reporting API body may hold at most ${MAX_REPORTS} reports`);
  return body
    .filter((entry) => isRecord(entry) && entry.type === 'csp-violation')
    .map((entry) => {
      const report = (entry as Record<string, unknown>).body;
      if (!isRecord(report)) throw invalid('A csp-violation report must have a "body" object');
      return violation(report, { page: 'documentURL', directive: 'effectiveDirective', blocked: 'blockedURL', source: 'sourceFile' });
    });
}
