import { applyDecorators, UseFilters, UseInterceptors } from '@nestjs/common';

import { GrpcExceptionFilter } from '../errors/grpc-exception.filter';
import { GrpcLogContextInterceptor } from '../logging/logging.module';
import { GrpcServerMetricsInterceptor } from '../metrics/request-metrics';

/**
 * What every gRPC controller of a service gets, in one decorator: each call runs in a log context
 * with the caller's request id, is measured (duration and status code), and its errors become gRPC
 * statuses through the one error mapper. On the controller class, so HTTP routes (health,
 * metrics) do not pay for them.
 */
export const GrpcEndpoint = (): ClassDecorator =>
  applyDecorators(UseFilters(GrpcExceptionFilter), UseInterceptors(GrpcLogContextInterceptor, GrpcServerMetricsInterceptor));
