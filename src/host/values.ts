/* Validated value types for everything that reaches a command, a path, an XML document or a URI. */
export * from "./values/common";
export * from "./values/net";
export * from "./values/pci";
export * from "./values/sysfs";
export * from "./values/text";
