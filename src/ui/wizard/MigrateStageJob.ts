/*
 * The migration stage's work, as a hook: find the VM and any migration job it already has, build the plan, check the
 * destination VF again, start MigrateToURI3, follow GetJobStats every second, and tell how it ended. The migration
 * runs inside libvirtd: leaving or reloading the page stops nothing, and a page that opens on a VM with an outgoing
 * migration job follows that job instead of starting another.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { _, format } from "../../lib/cockpit";
import { PciAddress, VmName } from "../../host/values";
import { TransportError, type HostTransport } from "../../host/transport";
import type { DomainRef } from "../../libvirt/client";
import { JobStatsFlags } from "../../libvirt/constants";
import { recheckDestinationVf, type VfRecheck } from "../../migration/destination-vf";
import { explainLibvirtError, type ExplainedError } from "../../migration/errors";
import {
    DESTINATION_XML_FLAGS, PERSISTENT_XML_FLAGS, PlanError, buildMigrationPlan, parseMigrationForm, type MigrationForm,
} from "../../migration/plan";
import { advance, initialProgress, isOutgoingMigration, type ProgressState } from "../../migration/progress";
import { localLibvirt } from "../hosts";
import { sshTo } from "./useDestination";
import type { VmWhere } from "./MigrateStageFailure";
import type { PlanSource } from "./MigrateStagePlan";
import type { WizardState } from "./types";

export type MigratePhase =
    | { kind: "loading" }
    | { kind: "blocked"; message: string; details: string[] }
    | { kind: "absent" }
    | { kind: "ready" }
    | { kind: "rechecking" }
    | { kind: "refused"; check: VfRecheck }
    | { kind: "running"; attached: boolean }
    | { kind: "failed"; error: ExplainedError; where: VmWhere }
    | { kind: "done" };

export const POLL_MS = 1000;
/**
 * Near the end (less than END_MS of data left to send, or the VM already gone from this host) GetJobStats is asked
 * every FAST_POLL_MS: measured on the simulated pair, MigrateToURI3's reply reached the page only with the next
 * libvirt-dbus call after the migration had ended (the wizard's time landed on the 1 s poll grid, ~1 s behind
 * `virsh migrate`).
 */
export const FAST_POLL_MS = 100;
const END_MS = 2000;

class Blocked extends Error {
    constructor(message: string, readonly details: string[] = []) {
        super(message);
    }
}

const destinationTransport = (d: WizardState["destination"]): HostTransport | null => sshTo(d)?.transport ?? null;

const notFound = (e: unknown) => explainLibvirtError(e).kind === "domain-not-found";

export function useMigration(state: WizardState, next: () => void, setBusy: (b: boolean) => void) {
    const destHost = state.destination?.host ?? null;
    const destUser = state.destination?.user ?? null;
    // the migration is also written to the destination's system log, through its SSH transport
    const destSsh = useRef<HostTransport | null>(null);
    destSsh.current = destHost === null ? null : sshTo({ host: destHost, user: destUser ?? "root", protocol: "ssh" })?.ssh ?? null;
    const libvirt = useMemo(() => localLibvirt(() => destSsh.current), []);
    useEffect(() => () => libvirt.close(), [libvirt]);
    const dest = useMemo(() => destinationTransport(destHost === null ? null : { host: destHost, user: destUser ?? "root", protocol: "ssh" }),
                         [destHost, destUser]);

    const [phase, setPhase] = useState<MigratePhase>({ kind: "loading" });
    const [source, setSource] = useState<PlanSource | null>(null);
    const [vfCheck, setVfCheck] = useState<VfRecheck | null>(null);
    const [progress, setProgress] = useState<ProgressState>(initialProgress);
    const [notes, setNotes] = useState<string[]>([]);
    const dom = useRef<DomainRef | null>(null);
    const downtime = useRef<number | undefined>(undefined);
    const alive = useRef(true);
    useEffect(() => () => { alive.current = false }, []);
    const vm = state.vm ?? "";

    /** The plan from the VM's XML as it is now. */
    const readPlan = useCallback(async (d: DomainRef, persistent: boolean): Promise<PlanSource> => {
        if (!state.destination || !state.destinationVf)
            throw new Blocked(_("The earlier stages have not chosen a destination and its VF yet"));
        const form: MigrationForm = {
            ...(state.options as Partial<MigrationForm>),
            transport: state.destination.protocol,
            host: state.destination.host,
            user: state.destination.protocol === "ssh" ? state.destination.user : undefined,
        };
        const parsed = parseMigrationForm(form);
        if (!parsed.ok)
            throw new Blocked(_("The migration options are not valid: go back and correct them"), parsed.errors.map(e => e.message));
        const liveXml = await libvirt.getXmlDesc(d, DESTINATION_XML_FLAGS);
        const inactiveXml = persistent && parsed.value.persistOnDestination ? await libvirt.getXmlDesc(d, PERSISTENT_XML_FLAGS) : undefined;
        try {
            const plan = buildMigrationPlan({
                vm: VmName.of(vm), liveXml, inactiveXml, destinationVf: PciAddress.of(state.destinationVf),
                ...(state.sourceVf ? { sourceVf: PciAddress.of(state.sourceVf) } : {}), options: parsed.value,
            });
            return { plan, liveXml, ...(inactiveXml !== undefined ? { inactiveXml } : {}) };
        } catch (e) {
            if (e instanceof PlanError)
                throw new Blocked(e.message);
            throw e;
        }
    }, [libvirt, state.destination, state.destinationVf, state.sourceVf, state.options, vm]);

    const recheck = useCallback(async (): Promise<VfRecheck> => {
        const vf = state.destinationVf ?? "";
        if (!dest)
            return { verdict: "unknown", vf, driver: null, pf: null, port: null, migratable: null, usedBy: null, evidence: [], message: _("No destination chosen") };
        try {
            return await recheckDestinationVf(dest, PciAddress.of(vf));
        } catch (e) {
            const message = e instanceof TransportError ? e.message : String(e);
            return { verdict: "unknown", vf, driver: null, pf: null, port: null, migratable: null, usedBy: null, evidence: [],
                message: format(_("The destination VF $0 could not be checked: $1"), vf, message) };
        }
    }, [dest, state.destinationVf]);

    const where = useCallback(async (): Promise<VmWhere> => {
        try {
            const d = await libvirt.lookupByName(vm);
            return (await libvirt.domainProperties(d.path)).active ? "running-here" : "stopped-here";
        } catch (e) {
            return notFound(e) ? "not-here" : "unknown";
        }
    }, [libvirt, vm]);

    const aborted = useRef(false);
    const fail = useCallback(async (e: ExplainedError) => {
        const w = await where();
        // libvirt words a cancelled peer-to-peer migration in several ways (the destination's connection closing
        // among them): the admin's confirmed abort is what tells it
        const error = aborted.current && w === "running-here" && e.kind !== "cancelled"
            ? { ...explainLibvirtError({ message: "canceled by client" }), detail: e.detail } : e;
        if (alive.current) {
            setPhase({ kind: "failed", error, where: w });
            setBusy(false);
        }
    }, [where, setBusy]);

    // open: the VM, a migration already running, else the plan and a first look at the destination VF
    const open = useCallback(async () => {
        setPhase({ kind: "loading" });
        try {
            if (!vm || !VmName.parse(vm).ok)
                throw new Blocked(_("No VM has been chosen yet"));
            let d: DomainRef;
            try {
                d = await libvirt.lookupByName(vm);
            } catch (e) {
                if (notFound(e)) {
                    setPhase({ kind: "absent" });
                    return;
                }
                throw e;
            }
            dom.current = d;
            const stats = await libvirt.getJobStats(d);
            if (isOutgoingMigration(stats)) {
                setProgress(advance(initialProgress(), stats));
                setBusy(true);
                setPhase({ kind: "running", attached: true });
                return;
            }
            const props = await libvirt.domainProperties(d.path);
            if (!props.active)
                throw new Blocked(format(_("$0 is not running: only a running VM is live-migrated"), vm));
            setSource(await readPlan(d, props.persistent));
            setPhase({ kind: "ready" });
            setVfCheck(await recheck());
        } catch (e) {
            if (e instanceof Blocked)
                setPhase({ kind: "blocked", message: e.message, details: e.details });
            else {
                const x = explainLibvirtError(e);
                setPhase({ kind: "blocked", message: x.summary, details: [...x.checks, x.detail] });
            }
        }
    }, [libvirt, vm, readPlan, recheck, setBusy]);

    useEffect(() => { open() }, [open]);

    const start = useCallback(async () => {
        const d = dom.current;
        if (!d)
            return;
        setBusy(true);
        setPhase({ kind: "rechecking" });
        setNotes([]);
        let src: PlanSource;
        try {
            const props = await libvirt.domainProperties(d.path);
            src = await readPlan(d, props.persistent);
        } catch (e) {
            setBusy(false);
            setPhase(e instanceof Blocked ? { kind: "blocked", message: e.message, details: e.details }
                : { kind: "blocked", message: explainLibvirtError(e).summary, details: [explainLibvirtError(e).detail] });
            return;
        }
        setSource(src);
        const check = await recheck();
        setVfCheck(check);
        if (check.verdict !== "ok") {
            setBusy(false);
            setPhase({ kind: "refused", check });
            return;
        }
        downtime.current = src.plan.maxDowntimeMs;
        aborted.current = false;
        setProgress(initialProgress());
        setPhase({ kind: "running", attached: false });
        libvirt.migrateToUri3(d, src.plan.request).then(() => {
            if (!alive.current)
                return;
            setBusy(false);
            setPhase({ kind: "done" });
            next();
        }, (e: unknown) => fail(explainLibvirtError(e)));
    }, [libvirt, readPlan, recheck, next, fail, setBusy]);

    // a job found at open has no call of ours to tell its end: the VM's state does
    const settleAttached = useCallback(async () => {
        const w = await where();
        if (w === "running-here") {
            const d = dom.current;
            const done = d ? await libvirt.getJobStats(d, JobStatsFlags.COMPLETED).catch(() => null) : null;
            const detail = done?.errmsg ?? "";
            const error = aborted.current || done?.type === "cancelled" || /cancel/.test(detail)
                ? { ...explainLibvirtError({ message: "canceled by client" }), detail }
                : explainLibvirtError({ message: detail || _("The migration ended without moving the VM") });
            if (alive.current) {
                setPhase({ kind: "failed", error, where: w });
                setBusy(false);
            }
        } else if (alive.current) {
            setBusy(false);
            setPhase({ kind: "done" });
            next();
        }
    }, [libvirt, where, next, setBusy]);

    const running = phase.kind === "running" ? phase : null;
    const attached = running?.attached ?? false;
    useEffect(() => {
        if (!running)
            return;
        let stopped = false;
        let timer: number | undefined;
        let state = initialProgress();
        let ending = false;
        const tick = async () => {
            const d = dom.current;
            if (!d || stopped)
                return;
            try {
                const s = await libvirt.getJobStats(d);
                if (stopped)
                    return;
                state = advance(state, s);
                setProgress(p => advance(p, s));
                const eta = state.view.etaMs;
                ending = s.type === "none" || (eta !== undefined && eta < END_MS);
                if (downtime.current !== undefined && (s.type === "bounded" || s.type === "unbounded")) {
                    const ms = downtime.current;
                    downtime.current = undefined;
                    libvirt.migrateSetMaxDowntime(d, ms).then(
                        () => setNotes(n => [...n, format(_("Maximum pause at the switch-over set to $0 ms"), ms)]),
                        (e: unknown) => setNotes(n => [...n, format(_("The maximum pause could not be set: $0"), explainLibvirtError(e).detail)]));
                }
                if (attached && s.type === "none") {
                    stopped = true;
                    await settleAttached();
                    return;
                }
            } catch (e) {
                // after the switch-over the VM is gone from this host: our own call tells the outcome, else look
                ending = true;
                if (attached && notFound(e)) {
                    stopped = true;
                    await settleAttached();
                    return;
                }
            }
            if (!stopped)
                timer = window.setTimeout(tick, ending ? FAST_POLL_MS : POLL_MS);
        };
        tick();
        return () => {
            stopped = true;
            window.clearTimeout(timer);
        };
    }, [running, attached, libvirt, settleAttached]);

    const abort = useCallback(async () => {
        const d = dom.current;
        if (!d)
            throw new Error(_("No VM"));
        try {
            // set first: the migration call may fail before AbortJob's own reply arrives
            aborted.current = true;
            await libvirt.abortJob(d);
        } catch (e) {
            aborted.current = false;
            throw new Error(explainLibvirtError(e).summary + ": " + explainLibvirtError(e).detail);
        }
    }, [libvirt]);

    const checkAgain = useCallback(async () => {
        setPhase({ kind: "rechecking" });
        const check = await recheck();
        setVfCheck(check);
        setPhase(check.verdict === "ok" ? { kind: "ready" } : { kind: "refused", check });
    }, [recheck]);

    return { phase, source, vfCheck, progress, notes, start, abort, reopen: open, checkAgain };
}
