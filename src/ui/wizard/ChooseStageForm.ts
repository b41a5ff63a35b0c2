/*
 * The choose stage's form as typed (strings and booleans), its place in the wizard state, and its validation by
 * parseMigrationForm: every refusal lands on the field that holds the value.
 */
import { parseMigrationForm, type MigrationForm, type MigrationOptions, Port } from "../../session/input";
import { sshUserError } from "../../session/hosts";
import type { Protocol } from "../../checks/facts";
import type { WizardDestination, WizardState } from "./types";

export interface ChooseFormValues {
    host: string;
    user: string;
    /** the SSH port (22 by default) */
    port: string;
    protocol: Protocol;
    migrationAddress: string;
    bandwidth: string;
    parallelConnections: string;
    maxDowntimeMs: string;
    persistOnDestination: boolean;
    undefineSource: boolean;
    copyStorage: boolean;
}

export type ChooseField = "host" | "user" | "port" | "protocol" | "migrationAddress" | "bandwidth" | "parallelConnections" |
    "maxDowntimeMs" | "undefineSource";

/** ValueError.field (src/host/values, src/migration/plan.ts) → the form field that shows it */
const FIELDS: Record<string, ChooseField> = {
    host: "host", "ssh-user": "user", port: "port", transport: "protocol", "migration-address": "migrationAddress",
    "migration-port": "migrationAddress", bandwidth: "bandwidth", "parallel-connections": "parallelConnections",
    "max-downtime": "maxDowntimeMs", "undefine-source": "undefineSource",
};

const str = (v: unknown, dflt = ""): string => (typeof v === "string" ? v : typeof v === "number" ? String(v) : dflt);
const bool = (v: unknown, dflt: boolean): boolean => (typeof v === "boolean" ? v : dflt);

export function formFromState(state: WizardState, remembered: WizardDestination): ChooseFormValues {
    const d = state.destination ?? remembered;
    const o = state.options;
    return {
        host: d.host, user: d.user || "root", port: d.port || "22", protocol: d.protocol,
        migrationAddress: str(o.migrationAddress), bandwidth: str(o.bandwidth), parallelConnections: str(o.parallelConnections, "1"),
        maxDowntimeMs: str(o.maxDowntimeMs),
        persistOnDestination: bool(o.persistOnDestination, true), undefineSource: bool(o.undefineSource, true),
        copyStorage: bool(o.copyStorage, false),
    };
}

/** The wizard state's `options` (what MigrationForm holds beyond host, user and transport). */
export function optionsOf(v: ChooseFormValues): Record<string, unknown> {
    return {
        migrationAddress: v.migrationAddress.trim(), bandwidth: v.bandwidth.trim(), parallelConnections: v.parallelConnections.trim(),
        maxDowntimeMs: v.maxDowntimeMs.trim(), persistOnDestination: v.persistOnDestination, undefineSource: v.undefineSource,
        copyStorage: v.copyStorage,
    };
}

/**
 * The SSH user and port name the login of the checks; in the libvirt URI only with SSH as the migration connection
 * (TLS and TCP reach libvirtd's own port).
 */
export function migrationFormOf(d: WizardDestination, options: Record<string, unknown>): MigrationForm {
    const port = (d.port ?? "").trim();
    return {
        ...options, transport: d.protocol, host: d.host.trim(),
        ...(d.protocol === "ssh" && d.user.trim() !== "" ? { user: d.user.trim() } : {}),
        ...(d.protocol === "ssh" && port !== "" && port !== "22" ? { port } : {}),
    } as MigrationForm;
}

/** The destination the wizard keeps for what is typed (root and 22 stand for nothing typed only in the fields). */
export const destinationOf = (v: ChooseFormValues): WizardDestination =>
    ({ host: v.host.trim(), user: v.user.trim() || "root", port: v.port.trim(), protocol: v.protocol });

export type ChooseValidation = { ok: true; options: MigrationOptions } | { ok: false; errors: Partial<Record<ChooseField, string>> };

export function validateChoice(v: ChooseFormValues): ChooseValidation {
    const errors: Partial<Record<ChooseField, string>> = {};
    const r = parseMigrationForm(migrationFormOf({ host: v.host, user: v.user, port: v.port, protocol: v.protocol }, optionsOf(v)));
    if (!r.ok)
        for (const e of r.errors) {
            const field = FIELDS[e.field] ?? "host";
            errors[field] ??= e.message;
        }
    // the checks log in over SSH whatever the migration connection: the user must be valid in every case
    const user = sshUserError(v.user);
    if (user !== null)
        errors.user ??= user;
    const port = Port.parse(v.port.trim() || "22");
    if (!port.ok)
        errors.port ??= port.error.message;
    return r.ok && Object.keys(errors).length === 0 ? { ok: true, options: r.value } : { ok: false, errors };
}

/** The options as the other stages need them, from the wizard state (null when they no longer validate). */
export function migrationOptionsOf(state: WizardState): MigrationOptions | null {
    if (!state.destination)
        return null;
    const r = parseMigrationForm(migrationFormOf(state.destination, state.options));
    return r.ok ? r.value : null;
}
