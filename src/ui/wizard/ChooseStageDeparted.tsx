import { Alert } from "@patternfly/react-core/dist/esm/components/Alert/index.js";
import { Title } from "@patternfly/react-core/dist/esm/components/Title/index.js";
import { Stack } from "@patternfly/react-core/dist/esm/layouts/Stack/index.js";
import { _, format } from "../../lib/cockpit";
import type { Departure } from "../../migration/departures";
import { bringBackUrl, departureLogin, evacuateBackUrl } from "../../session/departures";
import { hostIdentity } from "../../session/saved";

const when = (at: number) => new Date(at).toLocaleString();

function where(d: Departure): string {
    // started and not followed to its end: it does not run here, so it most likely left; the page says what it knows
    if (!d.ended)
        return format(_("A migration of $0 to $1 started on $2. No page followed it to its end; $0 no longer runs on this host."),
                      d.vm, departureLogin(d), when(d.at));
    return d.vf
        ? format(_("$0 was migrated to $1 on $2, onto its VF $3."), d.vm, departureLogin(d), when(d.at), d.vf)
        : format(_("$0 was migrated to $1 on $2."), d.vm, departureLogin(d), when(d.at));
}

/** The VMs that left this host through the page: where each went, and the way back (from the host it went to). */
export function ChooseStageDeparted({ departed, error }: { departed: Departure[]; error: string | null }) {
    const here = hostIdentity()?.hostname ?? "";
    if (error)
        return <Alert id="vfm-departed-error" variant="warning" isInline isPlain title={error} />;
    if (departed.length === 0)
        return null;
    return (
        <Stack hasGutter id="vfm-departed" component="section" aria-labelledby="vfm-departed-title">
            <Title headingLevel="h4" id="vfm-departed-title">{_("VMs that left this host")}</Title>
            <ul className="vfm-vm-list">
                {departed.map(d =>
                    <li key={d.vm} id={`vfm-departed-${d.vm}`} data-vm={d.vm} data-to={d.to.host} data-ended={String(d.ended)}>
                        <span className="vfm-departed-where">{where(d)}</span>
                        {here &&
                            // a VM that held no VF (a plain migration of an evacuation) comes back the same way, not through the wizard
                            <div><a className="vfm-departed-back" target="_blank" rel="noopener noreferrer"
                                    href={d.vf !== null ? bringBackUrl(d, here) : evacuateBackUrl(d.to.host, here, [d.vm], true)}>
                                {format(d.vf !== null ? _("Bring it back: open this wizard on $0") : _("Bring it back: open Evacuate host on $0"), d.to.host)}
                            </a></div>}
                    </li>)}
            </ul>
        </Stack>
    );
}
