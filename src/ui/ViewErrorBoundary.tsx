import { Component, Fragment, type ErrorInfo, type ReactNode } from "react";
import { Button } from "@patternfly/react-core/dist/esm/components/Button/index.js";
import { Alert } from "@patternfly/react-core/dist/esm/components/Alert/index.js";
import { _, format } from "../lib/cockpit";

interface Props {
    /** names the view in ids: vfm-view-error-<id> */
    id: string;
    /** the view's name, as shown */
    title: string;
    children: ReactNode;
}

interface State {
    error: Error | null;
    /** bumped by "Reload": the view is mounted afresh */
    generation: number;
}

/**
 * One view (the status page, the wizard, one wizard stage, the command log): an error while it renders, e.g. from
 * data a host sent, shows here with its message and a way on, instead of React unmounting the whole page.
 */
export class ViewErrorBoundary extends Component<Props, State> {
    override state: State = { error: null, generation: 0 };

    static getDerivedStateFromError(error: unknown): Partial<State> {
        return { error: error instanceof Error ? error : new Error(String(error)) };
    }

    override componentDidCatch(error: unknown, info: ErrorInfo): void {
        console.error(`${this.props.id}:`, error, info.componentStack);
    }

    override render(): ReactNode {
        const { error, generation } = this.state;
        if (!error)
            // a new generation is a new mount of the view: its state is read afresh
            return <Fragment key={generation}>{this.props.children}</Fragment>;
        const id = `vfm-view-error-${this.props.id}`;
        return (
            // an Alert, not an EmptyState: every view already brings Alert, and the bundle has a budget (docs/performance.md)
            <Alert id={id} variant="danger" isInline title={format(_("$0 could not be shown"), this.props.title)}
                   actionLinks={
                       <Button id={`${id}-reload`} variant="primary"
                               onClick={() => this.setState(s => ({ error: null, generation: s.generation + 1 }))}>
                           {_("Reload this view")}
                       </Button>}>
                <code id={`${id}-message`}>{error.name}: {error.message}</code>
            </Alert>
        );
    }
}

