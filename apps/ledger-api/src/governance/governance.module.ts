import { Module } from '@nestjs/common';
import { PolicyModule } from '../policy/policy.module';
import { ApproveExceptionController } from './exceptions/approve-exception/approve-exception.controller';
import { ApproveExceptionHandler } from './exceptions/approve-exception/approve-exception.handler';
import { ExceptionExpiryScheduler } from './exceptions/expire-exceptions/exception-expiry-scheduler';
import { ExceptionRegistryModule } from './exceptions/exception-registry.module';
import { ExceptionStreams } from './exceptions/exception-streams';
import { GetExceptionController } from './exceptions/get-exception/get-exception.controller';
import { GetExceptionHandler } from './exceptions/get-exception/get-exception.handler';
import { ListExceptionsController } from './exceptions/list-exceptions/list-exceptions.controller';
import { ListExceptionsHandler } from './exceptions/list-exceptions/list-exceptions.handler';
import { RejectExceptionController } from './exceptions/reject-exception/reject-exception.controller';
import { RejectExceptionHandler } from './exceptions/reject-exception/reject-exception.handler';
import { RequestExceptionController } from './exceptions/request-exception/request-exception.controller';
import { RequestExceptionHandler } from './exceptions/request-exception/request-exception.handler';
import { RevokeExceptionController } from './exceptions/revoke-exception/revoke-exception.controller';
import { RevokeExceptionHandler } from './exceptions/revoke-exception/revoke-exception.handler';

/** Governed exceptions: requests, reviews, revocations, the expiry scheduler, and the list. */
@Module({
  imports: [PolicyModule, ExceptionRegistryModule],
  controllers: [
    RequestExceptionController,
    ListExceptionsController,
    GetExceptionController,
    ApproveExceptionController,
    RejectExceptionController,
    RevokeExceptionController,
  ],
  providers: [
    ExceptionStreams,
    RequestExceptionHandler,
    ApproveExceptionHandler,
    RejectExceptionHandler,
    RevokeExceptionHandler,
    ListExceptionsHandler,
    GetExceptionHandler,
    ExceptionExpiryScheduler,
  ],
})
export class GovernanceModule {}
