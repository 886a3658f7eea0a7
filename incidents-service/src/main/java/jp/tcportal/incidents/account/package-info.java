/** Who may see the dashboard: local accounts, OpenID Connect login, roles and security rules. */
package jp.tcportal.incidents.account;
