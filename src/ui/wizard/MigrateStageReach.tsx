import { useEffect, useRef, useState } from "react";
import { Button } from "@patternfly/react-core/dist/esm/components/Button/index.js";
import { ActionGroup, Form, FormGroup } from "@patternfly/react-core/dist/esm/components/Form/index.js";
import { TextInput } from "@patternfly/react-core/dist/esm/components/TextInput/index.js";
import { _ } from "../../lib/cockpit";
import { IpAddress } from "../../session/input";
import { type PingHere, pingGuestHere } from "../../session/guest-reach";
import type { ReachBefore } from "../../migration/guest-reach";
import { FindingRow } from "../status/FindingRow";
import { FieldHelp } from "../destination-fields";

/**
 * The guest's address on its VF's network, pinged from this host before the migration (optional): the departure
 * note keeps the answer, and the verification compares the destination's ping with it. `onReach`: the answer for
 * the address now in the field, null when there is none; `onBusy`: a ping runs (the call waits for its answer).
 */
export function MigrateStageReach({ disabled, onReach, onBusy }: {
    disabled: boolean;
    onReach: (r: ReachBefore | null) => void;
    onBusy: (busy: boolean) => void;
}) {
    const [typed, setTyped] = useState("");
    const [result, setResult] = useState<PingHere | null>(null);
    const [failure, setFailure] = useState<string | null>(null);
    const [running, setRunning] = useState(false);
    const asked = useRef(0);
    const address = typed.trim();
    const parsed = address ? IpAddress.parse(address) : null;
    const current = result && parsed?.ok && result.address === parsed.value ? result : null;
    useEffect(() => onReach(current?.reach ?? null), [current, onReach]);
    useEffect(() => onBusy(running), [running, onBusy]);

    const ping = () => {
        if (!parsed?.ok)
            return;
        const n = ++asked.current;
        setRunning(true);
        setFailure(null);
        pingGuestHere(parsed.value).then(
            p => { if (n === asked.current) setResult(p) },
            (e: unknown) => { if (n === asked.current) setFailure(e instanceof Error ? e.message : String(e)) },
        ).finally(() => { if (n === asked.current) setRunning(false) });
    };
    const error = parsed && !parsed.ok ? _("An IPv4 address (192.0.2.10) or an IPv6 address (2001:db8::10)") : failure;
    const hint = parsed?.ok && !current && !running
        ? _("Not pinged yet: without an answer from here, the verification has nothing to compare the destination's with.")
        : _("Pinged here before the migration and from the destination after it: a guest that answered here and not there has lost its VF's path.");

    return (
        <>
            <Form id="vfm-migrate-reach-form" onSubmit={ev => {
                ev.preventDefault();
                ping();
            }}>
                <FormGroup label={_("The guest's address on its VF's network (optional)")} fieldId="vfm-migrate-guest-address">
                    <TextInput id="vfm-migrate-guest-address" value={typed} onChange={(_ev, v) => setTyped(v)} isDisabled={disabled}
                               placeholder="192.0.2.10" aria-describedby="vfm-migrate-guest-address-help" validated={error ? "error" : "default"} />
                    <FieldHelp id="vfm-migrate-guest-address-help" error={error} hint={hint} />
                </FormGroup>
                <ActionGroup>
                    <Button id="vfm-migrate-ping" variant="secondary" type="submit" isLoading={running}
                            isDisabled={disabled || running || !parsed?.ok}>{_("Ping from this host")}</Button>
                </ActionGroup>
            </Form>
            {current && <ul className="vfm-checks"><FindingRow id="vfm-migrate-reach" check={current.finding} finding={current.finding} /></ul>}
        </>
    );
}
