export * from './due-entry';
export * from './time-index/time-index.port';
export * from './time-index/sqlite/sqlite-time-index';
export * from './time-index/mongodb/mongodb-time-index';
export * from './delivery/delayed-delivery.port';
export * from './delivery/in-process/in-process-delayed-delivery';
export * from './delivery/rabbitmq/rabbitmq-delayed-delivery';
export * from './delivery/rabbitmq/delay-topology';
