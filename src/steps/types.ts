/*
 * A preparation step, defined once: it drives the wizard's preparation stage (detect, run, verify, undo), the
 * status page's fixes, and the exported shell script and Ansible playbook. Pure data and pure functions over a
 * host's facts (src/checks/facts.ts); running is src/steps/runner.ts's job, through a HostTransport.
 */
import type { Argv } from "../host/argv";
import type { SysfsPath, SysfsValue } from "../host/values";
import type { CheckDef, Evidence } from "../checks/types";
import type { HostContext, HostFacts, Protocol, Role } from "../checks/facts";

/**
 * One thing run on a host: a command (with optional stdin and a longer timeout than the transport's default), a
 * sysfs attribute write (`echo VALUE | tee -- PATH`), or a package install: PackageKit on this host (what will be
 * installed, progress, cancel), `dnf -y install NAME…` over SSH and in the exported scripts.
 */
export type StepCommand =
    | { kind: "run"; argv: Argv; input?: string; timeoutMs?: number }
    | { kind: "sysfs"; path: SysfsPath; value: SysfsValue }
    | { kind: "install"; packages: InstallName[] };

/** Packages a step may install; RHEL names Open vSwitch e.g. openvswitch3.3, which PackageKit resolves. */
export type InstallName = "mstflint" | "openvswitch";

/**
 * The step for the exported shell script and Ansible playbook, in bash: `done` is a test that succeeds when the step
 * has nothing to do (the shell form of detect, read on the host when the script runs), `run` the lines that do it.
 * They may use the helper functions of src/steps/lib.sh (vfm_*), which find at run time what the facts
 * cannot know in advance (the VF's address, its devlink port, its representor).
 */
export interface StepScript {
    done: string;
    run: string[];
    /** a test that, when it succeeds on the host, leaves the step out there (the page's "not applicable"), with why */
    skip?: { test: string; why: string };
}

/** What a step's run does to the host beyond its own change. */
export interface StepImpact {
    /** stops traffic through the PF for a moment (switchdev, link changes, VF count changes) */
    disruptsNetwork: boolean;
    /** takes effect only after a reboot (kernel arguments; firmware settings without a firmware reset) */
    needsReboot: boolean;
    /** takes effect after `mstfwreset` (or a reboot) */
    needsFirmwareReset: boolean;
    /** asks the admin to confirm before running (every disruptive or reboot-needing step does) */
    confirm: boolean;
}

/** What the admin chose for the preparation (same for both hosts unless a field says otherwise). */
export interface PrepareOptions {
    protocol: Protocol;
    /** the OVS bridge the PF and representors join */
    bridge: string;
    /** how many VFs to create on each PF */
    numVfs: number;
    /** write NetworkManager's sriov.total-vfs / sriov.eswitch-mode so it survives a reboot (off by default) */
    persist: boolean;
}

/** Everything a step's functions see about one host. */
export interface StepContext {
    role: Role;
    facts: HostFacts;
    /** the ConnectX-7 PF being prepared on this host (PCI address) */
    pf: string;
    options: PrepareOptions;
    /** names of VMs running on this host (a reboot or a VF count change is refused while some run) */
    runningVms: string[];
}

export type StepStatus =
    /** nothing to do */
    | { state: "done"; summary: string; evidence: Evidence[] }
    /** to run */
    | { state: "needed"; summary: string; evidence: Evidence[] }
    /** done, active after a reboot / firmware reset */
    | { state: "pending"; summary: string; evidence: Evidence[]; needs: "reboot" | "firmware-reset" }
    /** facts missing: cannot say (the step is not run blind) */
    | { state: "unknown"; summary: string; evidence: Evidence[] }
    /** not for this host (e.g. firewall ports on the source) */
    | { state: "not-applicable"; summary: string; evidence: Evidence[] };

/** Why a step may not run now; `override` names the confirmation that lets the admin run it anyway, if any. */
export interface StepGuard {
    reason: string;
    override?: string;
    /** the running VMs that stop it (a reboot, a firmware reset): moving them off the host lifts the guard */
    vms?: readonly string[];
}

export interface StepDef {
    id: string;
    /** reboot and firmware-reset are actions other steps call for; planHost marks them needed when those run */
    action?: "reboot" | "firmware-reset";
    /** the status page checks (src/checks) this step makes pass; their fixes are this step's commands */
    checks: readonly CheckDef<HostContext>[];
    title: string;
    /** one sentence: what it changes on the host */
    changes: string;
    /** the hosts it applies to */
    roles: Role[];
    /** ids of the steps that must be done first */
    after: string[];
    impact: StepImpact;
    /** how to see it is already done, from the facts alone */
    detect(ctx: StepContext): StepStatus;
    /** why it must not run now, or null */
    guard(ctx: StepContext): StepGuard | null;
    /** the exact commands, in order */
    commands(ctx: StepContext): StepCommand[];
    /** the commands that put it back, or null if it cannot be undone from here (say why in `undoNote`) */
    undo(ctx: StepContext): StepCommand[] | null;
    undoNote?: string;
    /** why the undo cannot run on this host as it is now (another step must be undone first); null when it can */
    undoBlocked?(ctx: StepContext): string | null;
    /** the same step in bash, for the exports */
    script(ctx: StepContext): StepScript;
}

/** A step as planned for one host now. */
export interface PlannedStep {
    step: StepDef;
    status: StepStatus;
    guard: StepGuard | null;
    /** commands(ctx), or [] while the step's status is unknown and its commands cannot be known */
    commands: StepCommand[];
}

