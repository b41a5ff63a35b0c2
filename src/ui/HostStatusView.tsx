import { EmptyState, EmptyStateBody } from "@patternfly/react-core/dist/esm/components/EmptyState/index.js";
import { _ } from "../lib/cockpit";

export function HostStatusView() {
    return (
        <EmptyState id="vfm-status" titleText={_("Host status")} headingLevel="h2">
            <EmptyStateBody>
                {_("Every prerequisite for migrating a VM with a ConnectX-7 virtual function, checked live on this host and on the destination.")}
            </EmptyStateBody>
        </EmptyState>
    );
}
