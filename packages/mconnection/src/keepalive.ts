/** What the keepalive needs from its connection. */
export interface KeepaliveHooks {
  /** Writes a ping and flushes. */
  sendPing(): void
  /** Writes a pong and flushes. */
  sendPong(): void
  /** No pong came in time: the connection must stop. */
  onTimeout(): void
}

/**
 * Pings every `pingIntervalMs` and expects a pong (any pong, as in the
 * reference) within `pongTimeoutMs`.
 *
 * Two additions keep a slow consumer from killing a healthy connection
 * (both sides of the reference disconnect after 45 s when a reactor blocks
 * its receive routine):
 * - While we ourselves do not read the stream (receive backpressure or
 *   the receive rate limit), the peer's pong may sit unread behind data we
 *   refused; so the timeout is only decided over a window during which we
 *   read freely. A window with any pause is extended by another
 *   `pongTimeoutMs`.
 * - While receive backpressure holds, the peer's pings may sit unread too,
 *   so we send an unsolicited pong every `pongTimeoutMs / 3`. The reference
 *   (and this implementation) accept unsolicited pongs as proof of life.
 */
export class Keepalive {
  readonly #pingIntervalMs: number
  readonly #pongTimeoutMs: number
  readonly #hooks: KeepaliveHooks
  #pingTimer: ReturnType<typeof setInterval> | undefined
  #pongTimer: ReturnType<typeof setTimeout> | undefined
  #backpressureTimer: ReturnType<typeof setInterval> | undefined
  /** Reading was paused at some point of the current pong window. */
  #pausedInWindow = false
  #paused = false
  #running = false

  constructor(pingIntervalMs: number, pongTimeoutMs: number, hooks: KeepaliveHooks) {
    this.#pingIntervalMs = pingIntervalMs
    this.#pongTimeoutMs = pongTimeoutMs
    this.#hooks = hooks
  }

  /** True while a ping waits for its pong. */
  get awaitingPong(): boolean {
    return this.#pongTimer !== undefined
  }

  start(): void {
    if (this.#running) return
    this.#running = true
    this.#pingTimer = setInterval(this.#ping, this.#pingIntervalMs)
  }

  /** A pong arrived. */
  pongReceived(): void {
    if (this.#pongTimer !== undefined) clearTimeout(this.#pongTimer)
    this.#pongTimer = undefined
  }

  /** Tells whether reading is paused, and whether that is receive backpressure (as opposed to rate limiting). */
  setReceiveState(paused: boolean, backpressure: boolean): void {
    if (!this.#running) return
    this.#paused = paused
    if (paused) this.#pausedInWindow = true
    if (backpressure && this.#backpressureTimer === undefined) {
      this.#backpressureTimer = setInterval(() => this.#hooks.sendPong(), Math.max(1, Math.floor(this.#pongTimeoutMs / 3)))
    } else if (!backpressure && this.#backpressureTimer !== undefined) {
      clearInterval(this.#backpressureTimer)
      this.#backpressureTimer = undefined
    }
  }

  /** Stops every timer. */
  stop(): void {
    this.#running = false
    if (this.#pingTimer !== undefined) clearInterval(this.#pingTimer)
    if (this.#pongTimer !== undefined) clearTimeout(this.#pongTimer)
    if (this.#backpressureTimer !== undefined) clearInterval(this.#backpressureTimer)
    this.#pingTimer = this.#pongTimer = this.#backpressureTimer = undefined
  }

  readonly #ping = (): void => {
    this.#hooks.sendPing()
    // A window still open (extended by pauses) keeps running: one verdict per window.
    if (this.#pongTimer === undefined) this.#openWindow()
  }

  #openWindow(): void {
    this.#pausedInWindow = this.#paused
    this.#pongTimer = setTimeout(this.#check, this.#pongTimeoutMs)
  }

  readonly #check = (): void => {
    this.#pongTimer = undefined
    if (this.#pausedInWindow) this.#openWindow()
    else this.#hooks.onTimeout()
  }
}
