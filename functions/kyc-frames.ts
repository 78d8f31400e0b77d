import { app } from '@azure/functions';
import { CONNECTIONS, FUNCTIONS, QUEUES } from '../shared/names';
import { onFramesMessage } from '../shared/kyc/pipeline';
import { kycQueueHandler } from './kyc-queue-handler';

app.serviceBusQueue(FUNCTIONS.extractVerificationFrames, {
  queueName: QUEUES.frames,
  connection: CONNECTIONS.serviceBus,
  handler: kycQueueHandler(QUEUES.frames, onFramesMessage),
});
