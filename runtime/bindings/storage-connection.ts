/**
 * The storage account a binding's `connection` names: the setting itself, `AzureWebJobs<name>`,
 * or AzureWebJobsStorage when the binding names none, as the host resolves it.
 */
import { azuriteConnectionString } from '../storage/azurite';
import type { BindingInfo, HostContext } from '../types';

export function storageConnectionFor(host: Pick<HostContext, 'settings' | 'storageConnectionString'>, binding: BindingInfo, fnName: string): string {
  const setting = typeof binding.connection === 'string' && binding.connection ? binding.connection : 'AzureWebJobsStorage';
  if (setting === 'AzureWebJobsStorage' && host.storageConnectionString) return host.storageConnectionString;
  const value = host.settings[setting] ?? host.settings[`AzureWebJobs${setting}`];
  if (!value) throw new Error(`Function "${fnName}": ${binding.type} connection setting "${setting}" is not defined`);
  return /^UseDevelopmentStorage=true/i.test(value) ? azuriteConnectionString(10000) : value;
}
