/* What the admin types, checked as its value type (a bad value is a ValueError naming the field), and transport errors. */
export { IpAddress, Port, SshUser, ValueError, type Mac } from "../host/values";
export { TransportError, type HostTransport } from "../host/transport";
export type { SshTransport } from "../host/ssh";
export type { HostKeyOffer } from "../host/ssh-argv";
export { parseMigrationForm, type MigrationForm, type MigrationOptions, type MigrationPlan } from "../migration/plan";
