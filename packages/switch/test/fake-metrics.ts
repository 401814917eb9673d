import { RecordingMetrics } from '@comet-p2p/testing'

/** A registry that keeps every series in memory and refuses a name registered twice. */
export class FakeMetrics extends RecordingMetrics {
  constructor() {
    super({ strict: true })
  }
}
