import { useEffect, useRef, useState } from "react";
import { Button } from "@patternfly/react-core/dist/esm/components/Button/index.js";
import { ActionGroup, Form, FormGroup } from "@patternfly/react-core/dist/esm/components/Form/index.js";
import { TextInput } from "@patternfly/react-core/dist/esm/components/TextInput/index.js";
import { _ } from "../../lib/cockpit";
import { IpAddress } from "../../session/input";
import { type PingHere, REACH_FRESH_MS, pingGuestHere } from "../../session/guest-reach";
import type { ReachBefore } from "../../migration/guest-reach";
import { FindingRow } from "../status/FindingRow";
import { FieldHelp, ipAddressError } from "../destination-fields";

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
    const [failure, setFailure] = useState<{ address: string; message: string } | null>(null);
    const [running, setRunning] = useState(false);
    /** the shown answer got too old to be "right before" the call */
    const [stale, setStale] = useState(false);
    const asked = useRef(0);
    const address = typed.trim();
    const parsed = address ? IpAddress.parse(address) : null;
    const forThis = (a: string | undefined) => !!parsed?.ok && a === parsed.value;
    const current = result && forThis(result.address) ? result : null;
    const kept = current && !stale ? current.reach : null;
    useEffect(() => onReach(kept), [kept, onReach]);
    useEffect(() => onBusy(running), [running, onBusy]);
    useEffect(() => {
        setStale(false);
        if (!result)
            return;
        const t = window.setTimeout(() => setStale(true), Math.max(0, result.at + REACH_FRESH_MS - Date.now()));
        return () => window.clearTimeout(t);
    }, [result]);

    const ping = () => {
        if (!parsed?.ok)
            return;
        const n = ++asked.current;
        const address = parsed.value;
        setRunning(true);
        setFailure(null);
        pingGuestHere(address).then(
            p => { if (n === asked.current) setResult(p) },
            (e: unknown) => {
                if (n !== asked.current)
                    return;
                setResult(null);
                setFailure({ address, message: e instanceof Error ? e.message : String(e) });
            },
        ).finally(() => { if (n === asked.current) setRunning(false) });
    };
    const error = ipAddressError(address) ?? (failure && forThis(failure.address) ? failure.message : null);
    const hint = parsed?.ok && !running && !current ? _("Not pinged yet: without an answer from here, the verification has nothing to compare the destination's with.")
        : parsed?.ok && !running && stale ? _("This answer is more than 5 minutes old: ping again, or the verification has nothing to compare the destination's with.")
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
