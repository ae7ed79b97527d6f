// The clock: the <audio> element playing the music. Everything on screen is drawn at
// audio.currentTime, so picture and music cannot drift apart. If the browser cannot play the
// embedded music, a silent timer stands in (and the page says so).

export type Rate = 0.5 | 0.75 | 1;

export class Clock {
  readonly audio: HTMLAudioElement;
  private silent = false;
  private silentTime = 0;
  private silentStart = 0;
  private silentPlaying = false;
  private rate: Rate = 1;
  durationS: number;
  onChange: () => void = () => {};

  constructor(audio: HTMLAudioElement, durationS: number) {
    this.audio = audio;
    this.durationS = durationS;
    for (const name of ["play", "pause", "seeked", "ratechange", "ended"]) {
      audio.addEventListener(name, () => this.onChange());
    }
  }

  /** Switch to the silent timer (the music could not be played). */
  goSilent(): void {
    if (this.silent) return;
    this.silentTime = this.audio.currentTime || 0;
    this.silent = true;
    this.onChange();
  }

  get isSilent(): boolean {
    return this.silent;
  }

  time(): number {
    if (!this.silent) return this.audio.currentTime;
    if (!this.silentPlaying) return this.silentTime;
    const t = this.silentTime + ((performance.now() - this.silentStart) / 1000) * this.rate;
    if (t >= this.durationS) {
      this.silentTime = this.durationS;
      this.silentPlaying = false;
      this.onChange();
      return this.durationS;
    }
    return t;
  }

  playing(): boolean {
    return this.silent ? this.silentPlaying : !this.audio.paused && !this.audio.ended;
  }

  async play(): Promise<void> {
    if (this.silent) {
      if (this.silentTime >= this.durationS) this.silentTime = 0;
      this.silentStart = performance.now();
      this.silentPlaying = true;
      this.onChange();
      return;
    }
    if (this.audio.ended) this.audio.currentTime = 0;
    try {
      await this.audio.play();
    } catch (err) {
      // A browser that refuses to start the music (autoplay rules) waits for the next click.
      if (!(err instanceof DOMException && err.name === "NotAllowedError")) throw err;
    }
  }

  pause(): void {
    if (this.silent) {
      this.silentTime = this.time();
      this.silentPlaying = false;
      this.onChange();
      return;
    }
    this.audio.pause();
  }

  toggle(): void {
    if (this.playing()) this.pause();
    else void this.play();
  }

  /** Seek to t seconds; resolves once the music is there. */
  seek(t: number): Promise<void> {
    const target = Math.min(Math.max(t, 0), this.durationS);
    if (this.silent) {
      this.silentTime = target;
      this.silentStart = performance.now();
      this.onChange();
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        this.audio.removeEventListener("seeked", done);
        resolve();
      };
      this.audio.addEventListener("seeked", done);
      this.audio.currentTime = target;
    });
  }

  getRate(): Rate {
    return this.rate;
  }

  setRate(rate: Rate): void {
    if (this.silent) this.silentTime = this.time();
    this.silentStart = performance.now();
    this.rate = rate;
    this.audio.preservesPitch = true;
    this.audio.playbackRate = rate;
    this.onChange();
  }
}
