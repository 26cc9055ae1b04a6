// Front-end bootstrap of the example, as in a Laravel skeleton.
// `php artisan pogo:ws-install` appended the Echo import below.

import './echo';
