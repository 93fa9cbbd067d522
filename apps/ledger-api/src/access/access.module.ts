import { DynamicModule, Logger, Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { LedgerConfig } from '@ledger/core';
import { API_KEY_REGISTRY, ApiKeyGuard, FAILED_AUTHENTICATION_LIMITER } from './access.guard';
import { ApiKeyRegistry, FailedAuthenticationLimiter } from '@ledger/core';
import { KeyThrottlerGuard } from './key-throttler.guard';
import { AccessLogInterceptor } from './access-log.interceptor';

/**
 * A first start with no keys configured makes one admin and one emitter key
 * so a new user can work at once. They are written to standard output once,
 * never to the log, and only their hashes are kept.
 */
async function loadOrBootstrapKeys(config: LedgerConfig): Promise<ApiKeyRegistry> {
  const registry = ApiKeyRegistry.load({ file: config.apiKeysFile, inline: config.apiKeysInline });
  if (registry.size > 0) return registry;
  const admin = await ApiKeyRegistry.createInFile(config.apiKeysFile, 'bootstrap-admin', ['admin', 'auditor', 'reviewer', 'helpdesk']);
  const emitter = await ApiKeyRegistry.createInFile(config.apiKeysFile, 'bootstrap-emitter', ['emitter']);
  process.stdout.write(
    [
      '',
      'No API keys were configured, so two were created. They are shown once and cannot be recovered:',
      `  admin   (admin, auditor, reviewer, helpdesk): ${admin}`,
      `  emitter (emitter):                            ${emitter}`,
      `Their hashes are in ${config.apiKeysFile}. Create more with: npx ledger keys create --name NAME --roles ROLES`,
      '',
    ].join('\n') + '\n',
  );
  new Logger('Access').log(`created bootstrap keys "bootstrap-admin" and "bootstrap-emitter" in ${config.apiKeysFile}`);
  return ApiKeyRegistry.load({ file: config.apiKeysFile, inline: config.apiKeysInline });
}

@Module({})
export class AccessModule {
  static forConfig(config: LedgerConfig): DynamicModule {
    return {
      module: AccessModule,
      imports: [ThrottlerModule.forRoot([{ name: 'default', ttl: 60_000, limit: config.rateLimitPerMinute }])],
      providers: [
        { provide: API_KEY_REGISTRY, useFactory: () => loadOrBootstrapKeys(config) },
        { provide: FAILED_AUTHENTICATION_LIMITER, useFactory: () => new FailedAuthenticationLimiter(config.authFailuresPerMinute) },
        // Order matters: the key guard names the caller, then the throttler counts per key.
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        { provide: APP_GUARD, useClass: KeyThrottlerGuard },
        { provide: APP_INTERCEPTOR, useClass: AccessLogInterceptor },
      ],
      exports: [API_KEY_REGISTRY],
    };
  }
}
