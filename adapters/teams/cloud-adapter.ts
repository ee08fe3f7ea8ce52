import { ConfidentialClientApplication } from '@azure/msal-node';
import {
  CloudAdapter, ConfigurationBotFrameworkAuthentication,
  type Activity, type ConfigurationBotFrameworkAuthenticationOptions, type InvokeResponse, type TurnContext,
} from 'botbuilder';
import { MsalServiceClientCredentialsFactory } from 'botframework-connector';

/** CloudAdapter with its authenticate-then-run step exposed, so the endpoint can map failures to HTTP itself. */
export class BluedeskCloudAdapter extends CloudAdapter {
  run(authHeader: string, activity: Activity, logic: (ctx: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    return this.processActivity(authHeader, activity, logic);
  }
}

/**
 * Builds botbuilder's CloudAdapter from the standard Bot Framework settings.
 * When `ToChannelFromBotLoginUrl` names a non-default login host (a sovereign
 * cloud, or a local test authority), MSAL is told that host is a known
 * authority, since it cannot discover it online.
 */
export function createCloudAdapter(settings: Record<string, string>): BluedeskCloudAdapter {
  const options = settings as ConfigurationBotFrameworkAuthenticationOptions;
  const appId = settings.MicrosoftAppId;
  const password = settings.MicrosoftAppPassword;
  const loginUrl = settings.ToChannelFromBotLoginUrl;
  let factory: MsalServiceClientCredentialsFactory | undefined;
  if (appId && password && loginUrl) {
    const authority = new URL(loginUrl);
    const msal = new ConfidentialClientApplication({
      auth: { clientId: appId, clientSecret: password, authority: loginUrl, knownAuthorities: [authority.host] },
    });
    // botframework-connector loads msal-node's CommonJS build and we load its ES build: same class, two typings.
    factory = new MsalServiceClientCredentialsFactory(appId, msal as never);
  }
  return new BluedeskCloudAdapter(new ConfigurationBotFrameworkAuthentication(options, factory));
}
