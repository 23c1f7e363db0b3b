import { Counter, Registry } from 'prom-client';

export type AuditWriteResult = 'written' | 'failed';

/** A subgraph's Prometheus metrics: the audit records it wrote (or failed to write, withholding the answer). */
export class SubgraphMetrics {
  readonly registry = new Registry();
  private readonly auditWrites: Counter<'subgraph' | 'result'>;

  constructor(private readonly subgraph: string) {
    this.auditWrites = new Counter({
      name: 'subgraph_audit_writes_total',
      help: 'Audit records of disclosures to audited callers, by subgraph and result (failed: the answer was withheld)',
      labelNames: ['subgraph', 'result'] as const,
      registers: [this.registry],
    });
  }

  readonly auditWritten = (result: AuditWriteResult): void => {
    this.auditWrites.inc({ subgraph: this.subgraph, result });
  };
}
