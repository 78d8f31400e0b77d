/** Turns a non-2xx Azure Face response into an internal DomainError (the queue retries it). */
import { DomainError } from '../../errors';

interface ErrorBody { error?: { code?: string; message?: string } }

export function azureFaceError(operation: string, response: { status: string; body: unknown }): DomainError {
  const body = (typeof response.body === 'object' && response.body !== null ? response.body : {}) as ErrorBody;
  const code = body.error?.code ?? 'Unknown';
  // The message can echo request details; keep it internal (expose = false).
  return new DomainError('face-provider-failed', `Azure Face ${operation} failed: HTTP ${response.status} ${code}`, 502, { azureCode: code }, false);
}
