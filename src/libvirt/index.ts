/* The libvirt-dbus client and its types: what the migration UI imports. */
export * from "./constants";
export * from "./typed-params";
export * from "./client";
export { virshEq } from "./virsh-equivalent";
