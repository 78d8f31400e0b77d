import { app } from '@azure/functions';
import { CONNECTIONS, FUNCTIONS, QUEUES } from '../shared/names';
import { onFacesMessage } from '../shared/kyc/pipeline';
import { kycQueueHandler } from './kyc-queue-handler';

app.serviceBusQueue(FUNCTIONS.matchVerificationFaces, {
  queueName: QUEUES.faces,
  connection: CONNECTIONS.serviceBus,
  handler: kycQueueHandler(QUEUES.faces, onFacesMessage),
});
