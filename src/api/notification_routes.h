// The notifications service's HTTP routes (DESIGN.md §7, flows §4.2, §4.7):
//
//   GET    /api/v1/alerts?resolved=true|false&limit=&before=   read
//          {items: [alert], next}, newest first (a cursor in `before`)
//   POST   /api/v1/alerts/{id}/resolve   business_write   200 alert
//          (409 when already resolved)
//   POST   /api/v1/webhooks {url, events: [patterns], secret}
//                                        operations   201 webhook + Location
//   GET    /api/v1/webhooks              operations   {items, next: null}
//   DELETE /api/v1/webhooks/{id}         operations   204
//
// A webhook is answered {id, url, events, createdAt}, never its secret.
// A url other than http://host[:port]/..., an empty or malformed pattern
// list or a missing secret is 422.
#ifndef STOCKPILE_API_NOTIFICATION_ROUTES_H_
#define STOCKPILE_API_NOTIFICATION_ROUTES_H_

#include "api/domain_api.h"
#include "api/router.h"

namespace stockpile::api {

// Every member of `notifications` must be set and outlive the router.
void AddNotificationRoutes(Router& router, NotificationsApi notifications);

}  // namespace stockpile::api

#endif  // STOCKPILE_API_NOTIFICATION_ROUTES_H_
