import { Module } from '@nestjs/common';
import { PolicyModule } from '../policy/policy.module';
import { ExceptionExpiryScheduler } from './exceptions/expire-exceptions/exception-expiry-scheduler';
import { ExceptionRegistryModule } from './exceptions/exception-registry.module';
import { ExceptionStreams } from './exceptions/exception-streams';
import { GetExceptionController } from './exceptions/get-exception/get-exception.controller';
import { GetExceptionHandler } from './exceptions/get-exception/get-exception.handler';
import { ListExceptionsController } from './exceptions/list-exceptions/list-exceptions.controller';
import { ListExceptionsHandler } from './exceptions/list-exceptions/list-exceptions.handler';
import { RequestExceptionController } from './exceptions/request-exception/request-exception.controller';
import { RequestExceptionHandler } from './exceptions/request-exception/request-exception.handler';
import { ReviewExceptionController } from './exceptions/review-exception/review-exception.controller';
import { ReviewExceptionHandler } from './exceptions/review-exception/review-exception.handler';

/** Governed exceptions: requests, reviews, revocations, the expiry scheduler, and the list. */
@Module({
  imports: [PolicyModule, ExceptionRegistryModule],
  controllers: [RequestExceptionController, ListExceptionsController, GetExceptionController, ReviewExceptionController],
  providers: [
    ExceptionStreams,
    RequestExceptionHandler,
    ReviewExceptionHandler,
    ListExceptionsHandler,
    GetExceptionHandler,
    ExceptionExpiryScheduler,
  ],
})
export class GovernanceModule {}
