/** The KYC `LivenessSessions` port on Azure AI Face's liveness-with-verify session API. */
import type { LivenessSessions } from '../../kyc/pipeline-ports';
import type { FaceClient } from './face-client';
import { createLivenessSession, getLivenessSessionResult, livenessFindingsFromSession } from './liveness-session';

/** Azure's operation states before the app finished: no verdict to read yet. */
const UNFINISHED = new Set(['NotStarted', 'Running']);

export function createAzureLivenessSessions(client: FaceClient): LivenessSessions {
  return {
    create: (verifyImage, { deviceCorrelationId }) =>
      createLivenessSession(client, { verifyImage, ...(deviceCorrelationId ? { deviceCorrelationId } : {}) }),
    async result(sessionId) {
      const result = await getLivenessSessionResult(client, sessionId);
      // Finished without any attempt result (Failed/Canceled): no liveness shown, which scores 0.
      return UNFINISHED.has(result.status) ? 'pending' : livenessFindingsFromSession(result);
    },
  };
}
