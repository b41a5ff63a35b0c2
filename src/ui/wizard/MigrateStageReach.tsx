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
 * the address now in the field, null when there is none.
 */
export function MigrateStageReach({ disabled, onReach }: { disabled: boolean; onReach: (r: ReachBefore | null) => void }) {
    const [typed, setTyped] = useState("");
    const [result, setResult] = useState<PingHere | null>(null);
    const [running, setRunning] = useState(false);
    const asked = useRef(0);
    const address = typed.trim();
    const parsed = address ? IpAddress.parse(address) : null;
    const error = parsed && !parsed.ok ? _("An IPv4 address (192.0.2.10) or an IPv6 address (2001:db8::10)") : null;
    const current = result && parsed?.ok && result.address === parsed.value ? result : null;
    useEffect(() => onReach(current?.reach ?? null), [current, onReach]);

    const ping = () => {
        if (!parsed?.ok)
            return;
        const n = ++asked.current;
        setRunning(true);
        pingGuestHere(parsed.value).then(
            p => { if (n === asked.current) setResult(p) },
            () => { if (n === asked.current) setResult(null) },
        ).finally(() => { if (n === asked.current) setRunning(false) });
    };

    return (
        <>
            <Form id="vfm-migrate-reach-form" onSubmit={ev => {
                ev.preventDefault();
                ping();
            }}>
                <FormGroup label={_("The guest's address on its VF's network (optional)")} fieldId="vfm-migrate-guest-address">
                    <TextInput id="vfm-migrate-guest-address" value={typed} onChange={(_ev, v) => setTyped(v)} isDisabled={disabled}
                               placeholder="192.0.2.10" aria-describedby="vfm-migrate-guest-address-help" validated={error ? "error" : "default"} />
                    <FieldHelp id="vfm-migrate-guest-address-help" error={error}
                               hint={_("Pinged here before the migration and from the destination after it: a guest that answered here and not there has lost its VF's path.")} />
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
