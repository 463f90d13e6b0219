import {
  Inject,
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { finalize, type Observable } from 'rxjs';

/**
 * How many commands are decided at once. A command takes the SQL pool several times (stream
 * reads, the append's transaction); with more in flight than the pool has connections, each step
 * queues behind newcomers and latency runs away under load. Admitting a few at a time and
 * queueing the rest in arrival order keeps each admitted command moving.
 */
const CONCURRENT_COMMANDS = 8;

@Injectable()
export class CommandAdmission {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  async enter(): Promise<void> {
    if (this.running < CONCURRENT_COMMANDS) {
      this.running += 1;
      return;
    }
    // The slot is handed over by `leave`, so `running` stays counted for the waiter.
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  leave(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running -= 1;
  }
}

@Injectable()
export class CommandAdmissionInterceptor implements NestInterceptor {
  constructor(@Inject(CommandAdmission) private readonly admission: CommandAdmission) {}

  async intercept(_ctx: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    await this.admission.enter();
    return next.handle().pipe(finalize(() => this.admission.leave()));
  }
}
