import { useCallback, useEffect, useMemo, useState } from "react";
import { Alert } from "@patternfly/react-core/dist/esm/components/Alert/index.js";
import { Button } from "@patternfly/react-core/dist/esm/components/Button/index.js";
import { ClipboardCopy } from "@patternfly/react-core/dist/esm/components/ClipboardCopy/index.js";
import { ActionGroup, Form, FormGroup } from "@patternfly/react-core/dist/esm/components/Form/index.js";
import { TextInput } from "@patternfly/react-core/dist/esm/components/TextInput/index.js";
import { Title } from "@patternfly/react-core/dist/esm/components/Title/index.js";
import { _, format } from "../../lib/cockpit";
import { GUEST_SIDE, VERIFY_CHECKS, VERIFY_TITLES, type VerifyCheck } from "../../session/findings";
import { quoteArgv } from "../../session/show";
import type { MigrationPlan } from "../../migration/plan";
import type { StageProps } from "./types";
import { useWizardHosts } from "./useDestination";
import { migrationOptionsOf } from "./ChooseStageForm";
import { verifyWork } from "../../session/finding-run";
import { reachBeforeOf } from "../../session/departures";
import { FindingRow } from "../status/FindingRow";
import { useFindingRun } from "./ChecksStageRun";
import { FieldHelp, ipAddressError } from "../destination-fields";

/** Stage 6: the migration's outcome read back from both hosts, and the virsh line that does the same, for the record. */
export function VerifyStage({ state, report, setBusy }: StageProps) {
    const { local, ssh, libvirt } = useWizardHosts(state.destination);
    const options = useMemo(() => migrationOptionsOf(state), [state.destination, state.options]); // eslint-disable-line react-hooks/exhaustive-deps
    const [{ findings: checks, running }, verifyRun] = useFindingRun<VerifyCheck>();
    const [plan, setPlan] = useState<MigrationPlan | string | null>(null);
    const { vm, destinationVf, sourceVf } = state;
    // the guest's address on its VF's network, typed by the admin; pinged from the destination once given
    const [typed, setTyped] = useState("");
    const [guestAddress, setGuestAddress] = useState<string | null>(null);
    const addressError = ipAddressError(typed);

    const run = useCallback(() => {
        if (!ssh || !options || !vm || !destinationVf)
            return;
        setPlan(null);
        const at = state.reachAt;
        const input = { libvirt, local, ssh, vm, options, destinationVf, sourceVf, guestAddress, ...(at ? { reachBefore: () => reachBeforeOf(local, vm, at) } : {}) };
        void verifyRun.run(verifyWork(input, setPlan));
    }, [ssh, options, vm, destinationVf, sourceVf, guestAddress, libvirt, local, verifyRun, state.reachAt]);
    useEffect(run, [run]);
    /** Runs the checks again with the address in the field; an empty field goes back to the one pinged before, else the agent's. */
    const again = () => {
        if (addressError)
            return;
        const a = typed.trim() || null;
        if (a === guestAddress)
            run();
        else
            setGuestAddress(a); // runs the verification again with it
    };

    useEffect(() => setBusy(running), [running, setBusy]);
    const done = VERIFY_CHECKS.every(id => checks[id]);
    // what the page cannot see inside the guest is said, not held against the migration; a guest that does not answer is
    const failed = VERIFY_CHECKS.filter(id => checks[id] && (GUEST_SIDE.includes(id) ? checks[id]?.verdict === "fail" : checks[id]?.verdict !== "pass"));
    const outcome = !done ? "checking" : failed.length === 0 ? "verified" : "not-as-expected";
    useEffect(() => report({ stage: "verify", kind: outcome }), [outcome, report]);

    if (!vm || !ssh || !options || !destinationVf)
        return <div id="vfm-stage-verify"><Alert variant="warning" isInline title={_("Nothing to verify: no migration was chosen (Start over)")} /></div>;

    return (
        <div id="vfm-stage-verify">
            {done && (failed.length === 0
                ? <Alert id="vfm-verify-verdict" data-verdict="pass" variant="success" isInline
                         title={format(_("$0 runs on $1 with VF $2"), vm, ssh.host, destinationVf)} />
                : <Alert id="vfm-verify-verdict" data-verdict="fail" variant="danger" isInline
                         title={_("The migration did not end as expected")}>
                    <ul>{failed.map(id => <li key={id}>{checks[id]?.summary}</li>)}</ul>
                </Alert>)}
            <ul className="vfm-checks" id="vfm-verify-checks">
                {VERIFY_CHECKS.map(id => <FindingRow key={id} id={`vfm-verify-${id}`} check={{ id, title: VERIFY_TITLES[id]() }} finding={checks[id] ?? null} />)}
            </ul>
            <Form id="vfm-verify-ping-form" onSubmit={ev => {
                ev.preventDefault();
                again();
            }}>
                <FormGroup label={_("The guest's address on its VF's network")} fieldId="vfm-verify-guest-address">
                    <TextInput id="vfm-verify-guest-address" value={typed} onChange={(_ev, v) => setTyped(v)}
                               placeholder="192.0.2.10" aria-describedby="vfm-verify-guest-address-help" validated={addressError ? "error" : "default"} />
                    <FieldHelp id="vfm-verify-guest-address-help" error={addressError}
                               hint={_("Without a guest agent, the page cannot learn it. The destination then pings it over its own side of the bridge. Empty: the address pinged before the migration, else the guest agent's.")} />
                </FormGroup>
                <ActionGroup>
                    <Button variant="secondary" id="vfm-verify-ping" type="submit"
                            isDisabled={running || !typed.trim() || !!addressError}>{_("Ping from the destination")}</Button>
                    <Button variant="secondary" id="vfm-verify-rerun" type="button" isDisabled={running || !!addressError} onClick={again}>{_("Check again")}</Button>
                </ActionGroup>
            </Form>
            <Title headingLevel="h3">{_("The same migration with virsh, for the record")}</Title>
            {typeof plan === "string" && <Alert id="vfm-verify-plan-error" variant="warning" isInline title={_("The command line could not be rebuilt")}>{plan}</Alert>}
            {plan && typeof plan !== "string" && <>
                <p>{format(_("Run on this host. The files $0 hold the VM's definitions for the destination (below), naming the destination's VF."), plan.virsh.files.map(f => f.name).join(", "))}</p>
                <ClipboardCopy id="vfm-verify-virsh" variant="inline-compact" isBlock isReadOnly isCode hoverTip={_("Copy")} clickTip={_("Copied")} className="vfm-mono">
                    {quoteArgv(plan.virsh.argv)}
                </ClipboardCopy>
                {plan.virsh.files.map(f =>
                    <details key={f.name}>
                        <summary>{f.name}</summary>
                        <pre className="vfm-evidence vfm-mono">{f.content}</pre>
                    </details>)}
            </>}
        </div>
    );
}
