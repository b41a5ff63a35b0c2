import { Alert } from "@patternfly/react-core/dist/esm/components/Alert/index.js";
import { ClipboardCopy } from "@patternfly/react-core/dist/esm/components/ClipboardCopy/index.js";
import {
    DescriptionList, DescriptionListDescription, DescriptionListGroup, DescriptionListTerm,
} from "@patternfly/react-core/dist/esm/components/DescriptionList/index.js";
import { ExpandableSection } from "@patternfly/react-core/dist/esm/components/ExpandableSection/index.js";
import { _, format } from "../../lib/cockpit";
import { quoteArgv, SECRET_MASK, maskDomainSecrets } from "../../session/show";
import type { VfRecheck } from "../../migration/destination-vf";
import { vfGate, type PlanSource } from "../../session/migration-job";
import { FindingRow } from "../status/FindingRow";
import { changedLines, flagWords } from "./MigrateText";

function Diff({ id, title, before, after }: { id: string; title: string; before: string; after: string }) {
    const lines = changedLines(maskDomainSecrets(before).text, maskDomainSecrets(after).text);
    return (
        <div id={id}>
            <strong>{title}</strong>
            <pre className="vfm-evidence vfm-mono">
                {lines.map(l => `${format(_("Line $0:"), l.line)}\n- ${l.before}\n+ ${l.after}`).join("\n")}
            </pre>
        </div>
    );
}

/** The XML change in words (the VF's address, nothing else), the lines themselves one click away. */
function XmlChange({ source }: { source: PlanSource }) {
    const { plan } = source;
    const persistent = plan.persistentXml && source.inactiveXml ? plan.persistentXml : null;
    return (
        <>
            <p id="vfm-migrate-xml-words">
                {plan.sourceVf && plan.destinationVf
                    ? format(_("libvirt on the destination receives the VM's description with one change: its VF is $1 instead of $0. Nothing else in it changes."),
                             plan.sourceVf, plan.destinationVf)
                    : _("libvirt on the destination receives the VM's description as it is: the VM holds no VF.")}
                {" "}{persistent ? _("The VM's saved definition there gets the same change.") : ""}
            </p>
            <ExpandableSection id="vfm-migrate-xml-details" toggleText={_("Show the changed XML lines")}>
                <Diff id="vfm-migrate-diff-live" title={_("The running VM's XML (libvirt's destination_xml); - before, + after")}
                      before={source.liveXml} after={plan.destinationXml} />
                {persistent && source.inactiveXml &&
                    <Diff id="vfm-migrate-diff-persistent" title={_("The VM's definition (libvirt's persistent_xml), with the same change")}
                          before={source.inactiveXml} after={persistent} />}
            </ExpandableSection>
        </>
    );
}

/** What the migration call will do, before it is made: URI, flags in words, the XML change, the virsh line. */
export function MigrateStagePlan({ source, vfCheck, sourceVfCheck, destinationLabel }: {
    source: PlanSource; vfCheck: VfRecheck | null; sourceVfCheck: VfRecheck | null; destinationLabel: string;
}) {
    const gate = vfCheck && vfGate(sourceVfCheck, vfCheck);
    const { plan } = source;
    const virshLine = quoteArgv(plan.virsh.argv);
    return (
        <div id="vfm-migrate-plan">
            <DescriptionList isHorizontal isCompact>
                <DescriptionListGroup>
                    <DescriptionListTerm>{_("Destination URI")}</DescriptionListTerm>
                    <DescriptionListDescription><code id="vfm-migrate-uri" className="vfm-mono">{plan.destUri}</code></DescriptionListDescription>
                </DescriptionListGroup>
                {plan.migrateUri &&
                    <DescriptionListGroup>
                        <DescriptionListTerm>{_("Migration data to")}</DescriptionListTerm>
                        <DescriptionListDescription><code className="vfm-mono">{plan.migrateUri}</code></DescriptionListDescription>
                    </DescriptionListGroup>}
                {plan.sourceVf && plan.destinationVf &&
                    <DescriptionListGroup>
                        <DescriptionListTerm>{_("VF")}</DescriptionListTerm>
                        <DescriptionListDescription id="vfm-migrate-vfs">
                            {format(_("$0 on this host → $1 on $2"), plan.sourceVf, plan.destinationVf, destinationLabel)}
                        </DescriptionListDescription>
                    </DescriptionListGroup>}
                <DescriptionListGroup>
                    <DescriptionListTerm>{_("How")}</DescriptionListTerm>
                    <DescriptionListDescription>
                        <ul id="vfm-migrate-flags" data-flags={plan.flagNames.join(" ")}>
                            {plan.flagNames.map(f => <li key={f}>{flagWords(f)}</li>)}
                            {!plan.memoryEncrypted &&
                                <li id="vfm-migrate-unencrypted">
                                    {plan.transport === "ssh"
                                        ? _("the VM's memory crosses the network unencrypted: SSH protects only libvirt's connection, not QEMU's migration stream")
                                        : _("the VM's memory and libvirt's connection cross the network unencrypted")}
                                </li>}
                            <li>{_("never post-copy: it is not possible with a VF attached")}</li>
                            {plan.params.bandwidth && <li>{format(_("bandwidth at most $0 MiB/s"), String(plan.params.bandwidth.v))}</li>}
                            {plan.maxDowntimeMs !== undefined && <li>{format(_("pause at the switch-over at most $0 ms (set once the migration runs)"), plan.maxDowntimeMs)}</li>}
                        </ul>
                    </DescriptionListDescription>
                </DescriptionListGroup>
            </DescriptionList>
            {vfCheck && gate &&
                // the go-ahead in the words the migration tests read: ok, refused, unknown
                <ul id="vfm-migrate-vf-status" className="vfm-checks"
                    data-verdict={gate.verdict === "pass" ? "ok" : gate.verdict === "fail" ? "refused" : "unknown"}>
                    {sourceVfCheck && <FindingRow id="vfm-migrate-source-vf-recheck" check={sourceVfCheck} finding={sourceVfCheck} />}
                    {/* the gate, unless it is this host's VF: the destination's verdict, or its VLAN unlike this host's */}
                    <FindingRow id="vfm-migrate-vf-recheck" check={vfCheck} finding={gate === sourceVfCheck ? vfCheck : gate} />
                </ul>}
            <XmlChange source={source} />
            {plan.virsh.masked > 0 &&
                <Alert id="vfm-migrate-secrets-masked" isInline isPlain variant="info"
                       title={format(_("The VM's console password is shown as $0 here and in the files below; the migration itself carries the real one. Put it back into the files before running virsh yourself."), SECRET_MASK)} />}
            <p>{_("The same migration with virsh (it reads the documents from the files below):")}</p>
            <ClipboardCopy id="vfm-migrate-virsh" variant="inline-compact" isBlock isCode isReadOnly hoverTip={_("Copy")} clickTip={_("Copied")} className="vfm-mono">
                {virshLine}
            </ClipboardCopy>
            {plan.virsh.files.map(f =>
                <ExpandableSection key={f.name} toggleText={f.name}>
                    <ClipboardCopy isReadOnly isCode variant="expansion" hoverTip={_("Copy")} clickTip={_("Copied")}>{f.content}</ClipboardCopy>
                </ExpandableSection>)}
        </div>
    );
}
