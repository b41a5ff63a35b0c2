/*
 * The markup PatternFly's Card renders for a card with a title, actions and a body, with the classes its CSS styles.
 * Card itself brings the code of selectable, clickable and expandable cards (ids, context, a radio or checkbox) that
 * this page never uses: about 2 KB gzipped of the bundle's 300 KB budget (docs/performance.md, "Bundle").
 */
import "@patternfly/react-styles/css/components/Card/card.css";

export function SimpleCard({ id, className, plain = false, title, actions, children }: {
    id?: string;
    className?: string;
    plain?: boolean;
    title?: React.ReactNode;
    actions?: React.ReactNode;
    children: React.ReactNode;
}) {
    return (
        <div id={id} className={["pf-v6-c-card", plain && "pf-m-plain", className].filter(Boolean).join(" ")}>
            {title !== undefined &&
                <div className="pf-v6-c-card__header">
                    {actions && <div className="pf-v6-c-card__actions">{actions}</div>}
                    <div className="pf-v6-c-card__header-main">
                        <div className="pf-v6-c-card__title">
                            <div className="pf-v6-c-card__title-text" id={id && `${id}-title`}>{title}</div>
                        </div>
                    </div>
                </div>}
            <div className="pf-v6-c-card__body">{children}</div>
        </div>
    );
}
