/** DI tokens of the ports: handlers depend on these, never on an adapter. */
export const EVENT_STORE = Symbol('EventStore');
export const SQL_CLIENT = Symbol('SqlClient');
export const INFRASTRUCTURE = Symbol('Infrastructure');
export const PROJECTION_ADMIN = Symbol('ProjectionAdmin');
