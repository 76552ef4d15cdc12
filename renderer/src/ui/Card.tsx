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
