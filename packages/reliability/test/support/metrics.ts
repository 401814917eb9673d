import { RecordingMetrics as BaseRecordingMetrics } from '@comet-p2p/testing'

/** The shared recording registry, with shortcuts for the transport's rejection counter. */
export class RecordingMetrics extends BaseRecordingMetrics {
  /** `rejected_connections_total{reason}` of the transport. */
  rejectedConnections(reason: string): number {
    return this.value('rejected_connections_total', { reason })
  }

  /** Every `rejected_connections_total` series, as `reason -> count`. */
  rejectedConnectionsByReason(): Record<string, number> {
    return this.byLabel('rejected_connections_total', 'reason')
  }
}
