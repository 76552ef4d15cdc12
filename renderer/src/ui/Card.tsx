// A titled card: the heading names the section for screen readers; `actions` sit at the heading's right.
import { useId, type ReactNode } from 'react';

export function Card(props: { title: ReactNode; actions?: ReactNode; children: ReactNode; bodyClassName?: string; className?: string; testId?: string }) {
  const id = useId();
  return (
    <section className={`card${props.className ? ` ${props.className}` : ''}`} aria-labelledby={id} data-testid={props.testId}>
      <div className="card-head">
        <h2 id={id}>{props.title}</h2>
        {props.actions}
      </div>
      <div className={`card-body${props.bodyClassName ? ` ${props.bodyClassName}` : ''}`}>{props.children}</div>
    </section>
  );
}

/** A screen's heading: its title, a line under it, and the screen's main actions at the right. */
export function PageHead(props: { title: ReactNode; sub?: ReactNode; actions?: ReactNode; subTestId?: string; subTotal?: number | string }) {
  return (
    <div className="page-head">
      <div className="grow">
        <h1>{props.title}</h1>
        {props.sub !== undefined && (
          <p className="page-sub" data-testid={props.subTestId} data-total={props.subTotal}>
            {props.sub}
          </p>
        )}
      </div>
      {props.actions}
    </div>
  );
}
