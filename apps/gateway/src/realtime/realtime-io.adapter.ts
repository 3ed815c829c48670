import { COLLAB_LIMITS } from '@micronote/contracts';
import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { ServerOptions } from 'socket.io';

/**
 * socket.io on the gateway's HTTP server: WebSocket transport only (no long-polling, so no sticky
 * sessions are needed behind a load balancer), messages up to one live-collaboration update
 * (COLLAB_LIMITS.updateBytes) plus its envelope (a larger frame closes the connection), CORS from
 * CORS_ORIGINS.
 */
export class RealtimeIoAdapter extends IoAdapter {
  constructor(
    app: INestApplicationContext,
    private readonly corsOrigins?: string,
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions) {
    return super.createIOServer(port, {
      ...options,
      transports: ['websocket'],
      maxHttpBufferSize: COLLAB_LIMITS.updateBytes + 16 * 1024,
      pingInterval: 25_000,
      pingTimeout: 20_000,
      cors: this.corsOrigins ? { origin: this.corsOrigins.split(',').map((o) => o.trim()) } : undefined,
    });
  }
}
