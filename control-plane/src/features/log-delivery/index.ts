// Public API of log delivery: the audit trail streamed to log destinations (see README.md).
export { createLogDeliveryStore, LOG_DELIVERY_JOB, type LogDeliveryStore, type DeliveryState } from './log-delivery-store';
export { createLogDeliveryWorker, type LogDeliveryWorkerDeps } from './log-delivery-worker';
export { createLogDeliveryService, type LogDeliveryService } from './log-delivery-service';
export { logDeliveryRoutes } from './log-delivery-routes';
export { createSinkFactory, type SinkFactory, type SinkFactoryDeps } from './sink-factory';
export { createAwsLogClients, type AwsLogClients } from './sinks/aws-log-clients';
export { createDestinationAwsScope, destinationSessionName, type DestinationAwsScope } from './destination-aws-scope';
