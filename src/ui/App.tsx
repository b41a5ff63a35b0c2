import { useEffect, useState } from "react";
import "@patternfly/react-styles/css/components/Page/page.css";
import { Tab, Tabs, TabTitleText } from "@patternfly/react-core/dist/esm/components/Tabs/index.js";
import { Title } from "@patternfly/react-core/dist/esm/components/Title/index.js";
import { Button } from "@patternfly/react-core/dist/esm/components/Button/index.js";
import { _, cockpit } from "../lib/cockpit";
import { HostStatusView } from "./HostStatusView";
import { WizardView } from "./wizard/WizardView";
import { EvacuateView } from "./evacuate/EvacuateView";
import { CommandLogDialog } from "./journal/CommandLogDialog";
import { journal } from "../session/hosts";
import { ViewErrorBoundary } from "./ViewErrorBoundary";

type View = "status" | "migrate" | "evacuate";
const VIEWS: readonly View[] = ["status", "migrate", "evacuate"];

export function currentView(): View {
    const p = cockpit().location.path[0] as View;
    return VIEWS.includes(p) ? p : "status";
}

/** Three views routed through cockpit.location, so the shell's URL and back button follow them. */
export function App() {
    const [view, setView] = useState<View>(currentView);
    const [logOpen, setLogOpen] = useState(false);

    useEffect(() => {
        const onChange = () => setView(currentView());
        cockpit().addEventListener("locationchanged", onChange);
        return () => cockpit().removeEventListener("locationchanged", onChange);
    }, []);

    return (
        // the markup PatternFly's <Page> and <PageSection> render without masthead, sidebar or sticky sections: they
        // bring a drawer, a resize observer and the CSS of every page part (build.js prunes what no element has),
        // which this page never uses, and the bundle has a 300 KB budget
        <div id="vf-migration-page" className="pf-v6-c-page pf-m-no-sidebar">
            <div className="pf-v6-c-page__main-container pf-m-fill">
                <main className="pf-v6-c-page__main" tabIndex={-1}>
                    <section className="pf-v6-c-page__main-section">
                        <div className="vfm-row vfm-row-apart">
                            <Title headingLevel="h1" id="vfm-title">{_("VF live migration")}</Title>
                            <Button variant="secondary" id="vfm-command-log-open" onClick={() => setLogOpen(true)}>
                                {_("Command log")}
                            </Button>
                        </div>
                    </section>
                    <section className="pf-v6-c-page__main-tabs">
                        <Tabs activeKey={view} id="vfm-views" aria-label={_("Views")}
                              onSelect={(_ev, key) => cockpit().location.go(key === "status" ? [] : [String(key)])}>
                            <Tab eventKey="status" id="vfm-tab-status" title={<TabTitleText>{_("Host status")}</TabTitleText>} />
                            <Tab eventKey="migrate" id="vfm-tab-migrate" title={<TabTitleText>{_("Migrate a VM")}</TabTitleText>} />
                            <Tab eventKey="evacuate" id="vfm-tab-evacuate" title={<TabTitleText>{_("Evacuate host")}</TabTitleText>} />
                        </Tabs>
                    </section>
                    <section className="pf-v6-c-page__main-section pf-m-fill">
                        {view === "status" && <ViewErrorBoundary key="status" id="status" title={_("Host status")}><HostStatusView /></ViewErrorBoundary>}
                        {view === "migrate" && <ViewErrorBoundary key="migrate" id="wizard" title={_("Migrate a VM")}><WizardView /></ViewErrorBoundary>}
                        {view === "evacuate" &&
                            <ViewErrorBoundary key="evacuate" id="evacuate" title={_("Evacuate host")}><EvacuateView /></ViewErrorBoundary>}
                    </section>
                    {logOpen &&
                        <ViewErrorBoundary id="command-log" title={_("Command log")}>
                            <CommandLogDialog journal={journal} onClose={() => setLogOpen(false)} />
                        </ViewErrorBoundary>}
                </main>
            </div>
        </div>
    );
}
