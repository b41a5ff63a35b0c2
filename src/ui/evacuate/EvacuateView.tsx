import { useState } from "react";
import { Alert } from "@patternfly/react-core/dist/esm/components/Alert/index.js";
import { Button } from "@patternfly/react-core/dist/esm/components/Button/index.js";
import { Title } from "@patternfly/react-core/dist/esm/components/Title/index.js";
import { Stack } from "@patternfly/react-core/dist/esm/layouts/Stack/index.js";
import { _, cockpit } from "../../lib/cockpit";
import { type DestinationInput, savedDestination } from "../../session/hosts";
import { useEvacuation } from "./useEvacuation";
import { EvacuationPanel } from "./EvacuationPanel";

/**
 * `#/evacuate?destination=…&vms=a,b[&plain=1]`: the link the other host gives for bringing VMs back (the report's,
 * the maintenance's, the preparation's for the destination's VMs); `user` and `port` when an admin adds them; else
 * the saved destination.
 */
function fromLocation(): { dest: DestinationInput; vms: string[] | null; plain: boolean } {
    const o = cockpit().location.options;
    const one = (v: unknown) => (typeof v === "string" && v.length <= 4096 ? v : null);
    const host = one(o.destination);
    const vms = one(o.vms);
    return {
        // the user and port as given: checked like the rest before anything is run, and said when wrong
        dest: host !== null ? { host, user: one(o.user) ?? "root", port: one(o.port) ?? "", protocol: "ssh" } : savedDestination(),
        vms: vms === null ? null : vms.split(",").filter(Boolean),
        plain: o.plain === "1",
    };
}

/** The third view: every running VM with a VF moved to the destination in one guided run, and back. */
export function EvacuateView() {
    const [{ dest, vms: only, plain }] = useState(fromLocation);
    const e = useEvacuation(dest.host ? dest : null);
    return (
        <Stack hasGutter id="vfm-evacuate" component="section" aria-labelledby="vfm-evacuate-title">
            <Title headingLevel="h2" id="vfm-evacuate-title">{_("Evacuate this host")}</Title>
            <p>{_("Every running VM with a VF moves to the destination, each with the wizard's checks and progress, and, if you choose, every VM without one by plain live migration; the VMs come back the same way, from the destination's own page.")}</p>
            {!dest.host
                ? <Alert id="vfm-evacuation-no-destination" variant="info" isInline title={_("Choose a destination on the Host status page first")}>
                    <Button variant="link" isInline onClick={() => cockpit().location.go([])}>{_("Host status")}</Button>
                </Alert>
                : <EvacuationPanel e={e} dest={dest} only={only} plain={plain} />}
        </Stack>
    );
}
