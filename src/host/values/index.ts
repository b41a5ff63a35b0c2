/* Validated value types for everything that reaches a command, a path, an XML document or a URI. */
export * from "./common";
export * from "./net";
export * from "./pci";
export * from "./sysfs";
export * from "./text";
