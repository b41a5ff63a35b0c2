/*
 * The migration stage's hook: one MigrationJob (src/session/migration-job.ts) per VM, destination and options,
 * subscribed to and rendered. The job holds the work and the poll timer; leaving the page closes the job's
 * follow-up, never of the migration (it runs inside libvirtd, and the next page that opens follows it again).
 */
import { useEffect, useMemo, useRef, useState } from "react";
import { type HostTransport } from "../../session/input";
import { MigrationJob, type MigrationJobState } from "../../session/migration-job";
import { WARM_REFRESH_MS, keepWarm } from "../../session/migration-job-model";
import { departureRecorder } from "../../session/departures";
import { localHost, localLibvirt } from "../../session/hosts";
import { migrationFormOf } from "./ChooseStageForm";
import { sshTo } from "./useDestination";
import type { WizardState } from "./types";
import type { ReachBefore } from "../../migration/guest-reach";

export function useMigrationJob(state: WizardState, setBusy: (b: boolean) => void) {
    const destHost = state.destination?.host ?? null;
    const destUser = state.destination?.user ?? null;
    const destPort = state.destination?.port ?? "";
    // the migration is also written to the destination's system log, through its SSH transport
    const destSsh = useRef<HostTransport | null>(null);
    const reached = useMemo(() => (destHost === null ? null : sshTo({ host: destHost, user: destUser ?? "root", port: destPort, protocol: "ssh" })),
                            [destHost, destUser, destPort]);
    destSsh.current = reached?.ssh ?? null;
    const libvirt = useMemo(() => localLibvirt(() => destSsh.current), []);
    useEffect(() => () => libvirt.closeWhenIdle(), [libvirt]);
    const destination = reached?.transport ?? null;
    const form = useMemo(() => (state.destination ? migrationFormOf(state.destination, state.options) : null),
                         [state.destination, state.options]);
    const { vm, destinationVf, sourceVf } = state;
    const departures = useMemo(() => (reached ? departureRecorder(localHost(), reached.ssh.target) : undefined), [reached]);
    const job = useMemo(() => new MigrationJob({ libvirt, vm: vm ?? "", form, destination, destinationVf, sourceVf, departures, local: localHost() }),
                        [libvirt, vm, form, destination, destinationVf, sourceVf, departures]);

    const [snapshot, setSnapshot] = useState<MigrationJobState>(job.state);
    useEffect(() => {
        setSnapshot(job.state);
        const off = job.subscribe(() => {
            setSnapshot(job.state);
            setBusy(job.state.busy);
        });
        void job.open();
        return () => {
            off();
            job.close();
        };
    }, [job, setBusy]);

    // while the admin reads the plan, the VM's XML and this host's VF are read again before they age out (an
    // evacuation does the same while its confirmation is open): the click then waits only for the destination's VF
    const ready = snapshot.phase.kind === "ready";
    useEffect(() => (ready
        ? keepWarm(() => { if (job.state.phase.kind === "ready") job.readAhead(WARM_REFRESH_MS, { destination: false }) })
        : undefined), [job, ready]);

    return {
        ...snapshot,
        start: (reach?: ReachBefore) => job.start(reach),
        abort: () => job.abort(),
        reopen: () => job.open(),
        checkAgain: () => job.checkAgain(),
    };
}
