/**
 * What to tell a person whose server could not listen, in one line, or undefined when the
 * error is not about the address (then it is reported as it is).
 */
export function listenErrorMessage(e: unknown, port: number | string | undefined, host: string | undefined, portSetting = 'PORT'): string | undefined {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  const at = port ?? (e as { port?: number } | undefined)?.port ?? '?';
  if (code === 'EADDRINUSE') return `port ${at} is in use; set ${portSetting}`;
  if (code === 'EACCES') return `port ${at} needs privileges this process lacks; set ${portSetting} to 1024 or above`;
  if (code === 'EADDRNOTAVAIL') return `address ${host ?? (e as { address?: string }).address ?? '?'} is not on this machine; set HOST`;
  return undefined;
}
