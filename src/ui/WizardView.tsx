import { EmptyState, EmptyStateBody } from "@patternfly/react-core/dist/esm/components/EmptyState/index.js";
import { _ } from "../lib/cockpit";

export function WizardView() {
    return (
        <EmptyState id="vfm-wizard" titleText={_("Migrate a VM")} headingLevel="h2">
            <EmptyStateBody>
                {_("Choose a VM and a destination; the hosts are checked and prepared, the VF attached, and the VM migrated and verified.")}
            </EmptyStateBody>
        </EmptyState>
    );
}
