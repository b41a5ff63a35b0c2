import { Component, Fragment, type ErrorInfo, type ReactNode } from "react";
import { Button } from "@patternfly/react-core/dist/esm/components/Button/index.js";
import { EmptyState, EmptyStateActions, EmptyStateBody, EmptyStateFooter } from "@patternfly/react-core/dist/esm/components/EmptyState/index.js";
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
            <EmptyState id={id} status="danger" headingLevel="h2" titleText={format(_("$0 could not be shown"), this.props.title)}>
                <EmptyStateBody>
                    <code id={`${id}-message`}>{error.name}: {error.message}</code>
                </EmptyStateBody>
                <EmptyStateFooter>
                    <EmptyStateActions>
                        <Button id={`${id}-reload`} variant="primary"
                                onClick={() => this.setState(s => ({ error: null, generation: s.generation + 1 }))}>
                            {_("Reload this view")}
                        </Button>
                    </EmptyStateActions>
                </EmptyStateFooter>
            </EmptyState>
        );
    }
}

