var Vs=Object.create;var an=Object.defineProperty;var Do=Object.getOwnPropertyDescriptor;var Ks=Object.getOwnPropertyNames;var Ys=Object.getPrototypeOf,Js=Object.prototype.hasOwnProperty;var Xs=(d,l)=>()=>{try{return l||d((l={exports:{}}).exports,l),l.exports}catch(r){throw l=0,r}};var Qs=(d,l,r,a)=>{if(l&&typeof l=="object"||typeof l=="function")for(let s of Ks(l))!Js.call(d,s)&&s!==r&&an(d,s,{get:()=>l[s],enumerable:!(a=Do(l,s))||a.enumerable});return d};var ta=(d,l,r)=>(r=d!=null?Vs(Ys(d)):{},Qs(l||!d||!d.__esModule?an(r,"default",{value:d,enumerable:!0}):r,d));var w=(d,l,r,a)=>{for(var s=a>1?void 0:a?Do(l,r):l,u=d.length-1,f;u>=0;u--)(f=d[u])&&(s=(a?f(l,r,s):f(s))||s);return a&&s&&an(l,r,s),s};var br=Xs((Pi,yr)=>{(function(d,l){typeof Pi=="object"&&typeof yr<"u"?l(Pi):typeof define=="function"&&define.amd?define(["exports"],l):(d=typeof globalThis<"u"?globalThis:d||self,l(d.leaflet={}))})(Pi,(function(d){"use strict";var l="1.9.4";function r(t){var e,i,n,o;for(i=1,n=arguments.length;i<n;i++){o=arguments[i];for(e in o)t[e]=o[e]}return t}var a=Object.create||(function(){function t(){}return function(e){return t.prototype=e,new t}})();function s(t,e){var i=Array.prototype.slice;if(t.bind)return t.bind.apply(t,i.call(arguments,1));var n=i.call(arguments,2);return function(){return t.apply(e,n.length?n.concat(i.call(arguments)):arguments)}}var u=0;function f(t){return"_leaflet_id"in t||(t._leaflet_id=++u),t._leaflet_id}function v(t,e,i){var n,o,h,c;return c=function(){n=!1,o&&(h.apply(i,o),o=!1)},h=function(){n?o=arguments:(t.apply(i,arguments),setTimeout(c,e),n=!0)},h}function x(t,e,i){var n=e[1],o=e[0],h=n-o;return t===n&&i?t:((t-o)%h+h)%h+o}function P(){return!1}function Z(t,e){if(e===!1)return t;var i=Math.pow(10,e===void 0?6:e);return Math.round(t*i)/i}function C(t){return t.trim?t.trim():t.replace(/^\s+|\s+$/g,"")}function T(t){return C(t).split(/\s+/)}function $(t,e){Object.prototype.hasOwnProperty.call(t,"options")||(t.options=t.options?a(t.options):{});for(var i in e)t.options[i]=e[i];return t.options}function tt(t,e,i){var n=[];for(var o in t)n.push(encodeURIComponent(i?o.toUpperCase():o)+"="+encodeURIComponent(t[o]));return(!e||e.indexOf("?")===-1?"?":"&")+n.join("&")}var Dt=/\{ *([\w_ -]+) *\}/g;function Fe(t,e){return t.replace(Dt,function(i,n){var o=e[n];if(o===void 0)throw new Error("No value provided for variable "+i);return typeof o=="function"&&(o=o(e)),o})}var ut=Array.isArray||function(t){return Object.prototype.toString.call(t)==="[object Array]"};function ye(t,e){for(var i=0;i<t.length;i++)if(t[i]===e)return i;return-1}var oe="data:image/gif;base64,R0lGODlhAQABAAD/ACwAAAAAAQABAAACADs=";function ki(t){return window["webkit"+t]||window["moz"+t]||window["ms"+t]}var Pn=0;function kn(t){var e=+new Date,i=Math.max(0,16-(e-Pn));return Pn=e+i,window.setTimeout(t,i)}var Li=window.requestAnimationFrame||ki("RequestAnimationFrame")||kn,Ln=window.cancelAnimationFrame||ki("CancelAnimationFrame")||ki("CancelRequestAnimationFrame")||function(t){window.clearTimeout(t)};function ot(t,e,i){if(i&&Li===kn)t.call(e);else return Li.call(window,s(t,e))}function ft(t){t&&Ln.call(window,t)}var xr={__proto__:null,extend:r,create:a,bind:s,get lastId(){return u},stamp:f,throttle:v,wrapNum:x,falseFn:P,formatNum:Z,trim:C,splitWords:T,setOptions:$,getParamString:tt,template:Fe,isArray:ut,indexOf:ye,emptyImageUrl:oe,requestFn:Li,cancelFn:Ln,requestAnimFrame:ot,cancelAnimFrame:ft};function Ct(){}Ct.extend=function(t){var e=function(){$(this),this.initialize&&this.initialize.apply(this,arguments),this.callInitHooks()},i=e.__super__=this.prototype,n=a(i);n.constructor=e,e.prototype=n;for(var o in this)Object.prototype.hasOwnProperty.call(this,o)&&o!=="prototype"&&o!=="__super__"&&(e[o]=this[o]);return t.statics&&r(e,t.statics),t.includes&&(Pr(t.includes),r.apply(null,[n].concat(t.includes))),r(n,t),delete n.statics,delete n.includes,n.options&&(n.options=i.options?a(i.options):{},r(n.options,t.options)),n._initHooks=[],n.callInitHooks=function(){if(!this._initHooksCalled){i.callInitHooks&&i.callInitHooks.call(this),this._initHooksCalled=!0;for(var h=0,c=n._initHooks.length;h<c;h++)n._initHooks[h].call(this)}},e},Ct.include=function(t){var e=this.prototype.options;return r(this.prototype,t),t.options&&(this.prototype.options=e,this.mergeOptions(t.options)),this},Ct.mergeOptions=function(t){return r(this.prototype.options,t),this},Ct.addInitHook=function(t){var e=Array.prototype.slice.call(arguments,1),i=typeof t=="function"?t:function(){this[t].apply(this,e)};return this.prototype._initHooks=this.prototype._initHooks||[],this.prototype._initHooks.push(i),this};function Pr(t){if(!(typeof L>"u"||!L||!L.Mixin)){t=ut(t)?t:[t];for(var e=0;e<t.length;e++)t[e]===L.Mixin.Events&&console.warn("Deprecated include of L.Mixin.Events: this property will be removed in future releases, please inherit from L.Evented instead.",new Error().stack)}}var ht={on:function(t,e,i){if(typeof t=="object")for(var n in t)this._on(n,t[n],e);else{t=T(t);for(var o=0,h=t.length;o<h;o++)this._on(t[o],e,i)}return this},off:function(t,e,i){if(!arguments.length)delete this._events;else if(typeof t=="object")for(var n in t)this._off(n,t[n],e);else{t=T(t);for(var o=arguments.length===1,h=0,c=t.length;h<c;h++)o?this._off(t[h]):this._off(t[h],e,i)}return this},_on:function(t,e,i,n){if(typeof e!="function"){console.warn("wrong listener type: "+typeof e);return}if(this._listens(t,e,i)===!1){i===this&&(i=void 0);var o={fn:e,ctx:i};n&&(o.once=!0),this._events=this._events||{},this._events[t]=this._events[t]||[],this._events[t].push(o)}},_off:function(t,e,i){var n,o,h;if(this._events&&(n=this._events[t],!!n)){if(arguments.length===1){if(this._firingCount)for(o=0,h=n.length;o<h;o++)n[o].fn=P;delete this._events[t];return}if(typeof e!="function"){console.warn("wrong listener type: "+typeof e);return}var c=this._listens(t,e,i);if(c!==!1){var p=n[c];this._firingCount&&(p.fn=P,this._events[t]=n=n.slice()),n.splice(c,1)}}},fire:function(t,e,i){if(!this.listens(t,i))return this;var n=r({},e,{type:t,target:this,sourceTarget:e&&e.sourceTarget||this});if(this._events){var o=this._events[t];if(o){this._firingCount=this._firingCount+1||1;for(var h=0,c=o.length;h<c;h++){var p=o[h],m=p.fn;p.once&&this.off(t,m,p.ctx),m.call(p.ctx||this,n)}this._firingCount--}}return i&&this._propagateEvent(n),this},listens:function(t,e,i,n){typeof t!="string"&&console.warn('"string" type argument expected');var o=e;typeof e!="function"&&(n=!!e,o=void 0,i=void 0);var h=this._events&&this._events[t];if(h&&h.length&&this._listens(t,o,i)!==!1)return!0;if(n){for(var c in this._eventParents)if(this._eventParents[c].listens(t,e,i,n))return!0}return!1},_listens:function(t,e,i){if(!this._events)return!1;var n=this._events[t]||[];if(!e)return!!n.length;i===this&&(i=void 0);for(var o=0,h=n.length;o<h;o++)if(n[o].fn===e&&n[o].ctx===i)return o;return!1},once:function(t,e,i){if(typeof t=="object")for(var n in t)this._on(n,t[n],e,!0);else{t=T(t);for(var o=0,h=t.length;o<h;o++)this._on(t[o],e,i,!0)}return this},addEventParent:function(t){return this._eventParents=this._eventParents||{},this._eventParents[f(t)]=t,this},removeEventParent:function(t){return this._eventParents&&delete this._eventParents[f(t)],this},_propagateEvent:function(t){for(var e in this._eventParents)this._eventParents[e].fire(t.type,r({layer:t.target,propagatedFrom:t.target},t),!0)}};ht.addEventListener=ht.on,ht.removeEventListener=ht.clearAllEventListeners=ht.off,ht.addOneTimeEventListener=ht.once,ht.fireEvent=ht.fire,ht.hasEventListeners=ht.listens;var be=Ct.extend(ht);function z(t,e,i){this.x=i?Math.round(t):t,this.y=i?Math.round(e):e}var Tn=Math.trunc||function(t){return t>0?Math.floor(t):Math.ceil(t)};z.prototype={clone:function(){return new z(this.x,this.y)},add:function(t){return this.clone()._add(E(t))},_add:function(t){return this.x+=t.x,this.y+=t.y,this},subtract:function(t){return this.clone()._subtract(E(t))},_subtract:function(t){return this.x-=t.x,this.y-=t.y,this},divideBy:function(t){return this.clone()._divideBy(t)},_divideBy:function(t){return this.x/=t,this.y/=t,this},multiplyBy:function(t){return this.clone()._multiplyBy(t)},_multiplyBy:function(t){return this.x*=t,this.y*=t,this},scaleBy:function(t){return new z(this.x*t.x,this.y*t.y)},unscaleBy:function(t){return new z(this.x/t.x,this.y/t.y)},round:function(){return this.clone()._round()},_round:function(){return this.x=Math.round(this.x),this.y=Math.round(this.y),this},floor:function(){return this.clone()._floor()},_floor:function(){return this.x=Math.floor(this.x),this.y=Math.floor(this.y),this},ceil:function(){return this.clone()._ceil()},_ceil:function(){return this.x=Math.ceil(this.x),this.y=Math.ceil(this.y),this},trunc:function(){return this.clone()._trunc()},_trunc:function(){return this.x=Tn(this.x),this.y=Tn(this.y),this},distanceTo:function(t){t=E(t);var e=t.x-this.x,i=t.y-this.y;return Math.sqrt(e*e+i*i)},equals:function(t){return t=E(t),t.x===this.x&&t.y===this.y},contains:function(t){return t=E(t),Math.abs(t.x)<=Math.abs(this.x)&&Math.abs(t.y)<=Math.abs(this.y)},toString:function(){return"Point("+Z(this.x)+", "+Z(this.y)+")"}};function E(t,e,i){return t instanceof z?t:ut(t)?new z(t[0],t[1]):t==null?t:typeof t=="object"&&"x"in t&&"y"in t?new z(t.x,t.y):new z(t,e,i)}function F(t,e){if(t)for(var i=e?[t,e]:t,n=0,o=i.length;n<o;n++)this.extend(i[n])}F.prototype={extend:function(t){var e,i;if(!t)return this;if(t instanceof z||typeof t[0]=="number"||"x"in t)e=i=E(t);else if(t=rt(t),e=t.min,i=t.max,!e||!i)return this;return!this.min&&!this.max?(this.min=e.clone(),this.max=i.clone()):(this.min.x=Math.min(e.x,this.min.x),this.max.x=Math.max(i.x,this.max.x),this.min.y=Math.min(e.y,this.min.y),this.max.y=Math.max(i.y,this.max.y)),this},getCenter:function(t){return E((this.min.x+this.max.x)/2,(this.min.y+this.max.y)/2,t)},getBottomLeft:function(){return E(this.min.x,this.max.y)},getTopRight:function(){return E(this.max.x,this.min.y)},getTopLeft:function(){return this.min},getBottomRight:function(){return this.max},getSize:function(){return this.max.subtract(this.min)},contains:function(t){var e,i;return typeof t[0]=="number"||t instanceof z?t=E(t):t=rt(t),t instanceof F?(e=t.min,i=t.max):e=i=t,e.x>=this.min.x&&i.x<=this.max.x&&e.y>=this.min.y&&i.y<=this.max.y},intersects:function(t){t=rt(t);var e=this.min,i=this.max,n=t.min,o=t.max,h=o.x>=e.x&&n.x<=i.x,c=o.y>=e.y&&n.y<=i.y;return h&&c},overlaps:function(t){t=rt(t);var e=this.min,i=this.max,n=t.min,o=t.max,h=o.x>e.x&&n.x<i.x,c=o.y>e.y&&n.y<i.y;return h&&c},isValid:function(){return!!(this.min&&this.max)},pad:function(t){var e=this.min,i=this.max,n=Math.abs(e.x-i.x)*t,o=Math.abs(e.y-i.y)*t;return rt(E(e.x-n,e.y-o),E(i.x+n,i.y+o))},equals:function(t){return t?(t=rt(t),this.min.equals(t.getTopLeft())&&this.max.equals(t.getBottomRight())):!1}};function rt(t,e){return!t||t instanceof F?t:new F(t,e)}function st(t,e){if(t)for(var i=e?[t,e]:t,n=0,o=i.length;n<o;n++)this.extend(i[n])}st.prototype={extend:function(t){var e=this._southWest,i=this._northEast,n,o;if(t instanceof q)n=t,o=t;else if(t instanceof st){if(n=t._southWest,o=t._northEast,!n||!o)return this}else return t?this.extend(B(t)||G(t)):this;return!e&&!i?(this._southWest=new q(n.lat,n.lng),this._northEast=new q(o.lat,o.lng)):(e.lat=Math.min(n.lat,e.lat),e.lng=Math.min(n.lng,e.lng),i.lat=Math.max(o.lat,i.lat),i.lng=Math.max(o.lng,i.lng)),this},pad:function(t){var e=this._southWest,i=this._northEast,n=Math.abs(e.lat-i.lat)*t,o=Math.abs(e.lng-i.lng)*t;return new st(new q(e.lat-n,e.lng-o),new q(i.lat+n,i.lng+o))},getCenter:function(){return new q((this._southWest.lat+this._northEast.lat)/2,(this._southWest.lng+this._northEast.lng)/2)},getSouthWest:function(){return this._southWest},getNorthEast:function(){return this._northEast},getNorthWest:function(){return new q(this.getNorth(),this.getWest())},getSouthEast:function(){return new q(this.getSouth(),this.getEast())},getWest:function(){return this._southWest.lng},getSouth:function(){return this._southWest.lat},getEast:function(){return this._northEast.lng},getNorth:function(){return this._northEast.lat},contains:function(t){typeof t[0]=="number"||t instanceof q||"lat"in t?t=B(t):t=G(t);var e=this._southWest,i=this._northEast,n,o;return t instanceof st?(n=t.getSouthWest(),o=t.getNorthEast()):n=o=t,n.lat>=e.lat&&o.lat<=i.lat&&n.lng>=e.lng&&o.lng<=i.lng},intersects:function(t){t=G(t);var e=this._southWest,i=this._northEast,n=t.getSouthWest(),o=t.getNorthEast(),h=o.lat>=e.lat&&n.lat<=i.lat,c=o.lng>=e.lng&&n.lng<=i.lng;return h&&c},overlaps:function(t){t=G(t);var e=this._southWest,i=this._northEast,n=t.getSouthWest(),o=t.getNorthEast(),h=o.lat>e.lat&&n.lat<i.lat,c=o.lng>e.lng&&n.lng<i.lng;return h&&c},toBBoxString:function(){return[this.getWest(),this.getSouth(),this.getEast(),this.getNorth()].join(",")},equals:function(t,e){return t?(t=G(t),this._southWest.equals(t.getSouthWest(),e)&&this._northEast.equals(t.getNorthEast(),e)):!1},isValid:function(){return!!(this._southWest&&this._northEast)}};function G(t,e){return t instanceof st?t:new st(t,e)}function q(t,e,i){if(isNaN(t)||isNaN(e))throw new Error("Invalid LatLng object: ("+t+", "+e+")");this.lat=+t,this.lng=+e,i!==void 0&&(this.alt=+i)}q.prototype={equals:function(t,e){if(!t)return!1;t=B(t);var i=Math.max(Math.abs(this.lat-t.lat),Math.abs(this.lng-t.lng));return i<=(e===void 0?1e-9:e)},toString:function(t){return"LatLng("+Z(this.lat,t)+", "+Z(this.lng,t)+")"},distanceTo:function(t){return Rt.distance(this,B(t))},wrap:function(){return Rt.wrapLatLng(this)},toBounds:function(t){var e=180*t/40075017,i=e/Math.cos(Math.PI/180*this.lat);return G([this.lat-e,this.lng-i],[this.lat+e,this.lng+i])},clone:function(){return new q(this.lat,this.lng,this.alt)}};function B(t,e,i){return t instanceof q?t:ut(t)&&typeof t[0]!="object"?t.length===3?new q(t[0],t[1],t[2]):t.length===2?new q(t[0],t[1]):null:t==null?t:typeof t=="object"&&"lat"in t?new q(t.lat,"lng"in t?t.lng:t.lon,t.alt):e===void 0?null:new q(t,e,i)}var zt={latLngToPoint:function(t,e){var i=this.projection.project(t),n=this.scale(e);return this.transformation._transform(i,n)},pointToLatLng:function(t,e){var i=this.scale(e),n=this.transformation.untransform(t,i);return this.projection.unproject(n)},project:function(t){return this.projection.project(t)},unproject:function(t){return this.projection.unproject(t)},scale:function(t){return 256*Math.pow(2,t)},zoom:function(t){return Math.log(t/256)/Math.LN2},getProjectedBounds:function(t){if(this.infinite)return null;var e=this.projection.bounds,i=this.scale(t),n=this.transformation.transform(e.min,i),o=this.transformation.transform(e.max,i);return new F(n,o)},infinite:!1,wrapLatLng:function(t){var e=this.wrapLng?x(t.lng,this.wrapLng,!0):t.lng,i=this.wrapLat?x(t.lat,this.wrapLat,!0):t.lat,n=t.alt;return new q(i,e,n)},wrapLatLngBounds:function(t){var e=t.getCenter(),i=this.wrapLatLng(e),n=e.lat-i.lat,o=e.lng-i.lng;if(n===0&&o===0)return t;var h=t.getSouthWest(),c=t.getNorthEast(),p=new q(h.lat-n,h.lng-o),m=new q(c.lat-n,c.lng-o);return new st(p,m)}},Rt=r({},zt,{wrapLng:[-180,180],R:6371e3,distance:function(t,e){var i=Math.PI/180,n=t.lat*i,o=e.lat*i,h=Math.sin((e.lat-t.lat)*i/2),c=Math.sin((e.lng-t.lng)*i/2),p=h*h+Math.cos(n)*Math.cos(o)*c*c,m=2*Math.atan2(Math.sqrt(p),Math.sqrt(1-p));return this.R*m}}),$n=6378137,Ti={R:$n,MAX_LATITUDE:85.0511287798,project:function(t){var e=Math.PI/180,i=this.MAX_LATITUDE,n=Math.max(Math.min(i,t.lat),-i),o=Math.sin(n*e);return new z(this.R*t.lng*e,this.R*Math.log((1+o)/(1-o))/2)},unproject:function(t){var e=180/Math.PI;return new q((2*Math.atan(Math.exp(t.y/this.R))-Math.PI/2)*e,t.x*e/this.R)},bounds:(function(){var t=$n*Math.PI;return new F([-t,-t],[t,t])})()};function $i(t,e,i,n){if(ut(t)){this._a=t[0],this._b=t[1],this._c=t[2],this._d=t[3];return}this._a=t,this._b=e,this._c=i,this._d=n}$i.prototype={transform:function(t,e){return this._transform(t.clone(),e)},_transform:function(t,e){return e=e||1,t.x=e*(this._a*t.x+this._b),t.y=e*(this._c*t.y+this._d),t},untransform:function(t,e){return e=e||1,new z((t.x/e-this._b)/this._a,(t.y/e-this._d)/this._c)}};function we(t,e,i,n){return new $i(t,e,i,n)}var Si=r({},Rt,{code:"EPSG:3857",projection:Ti,transformation:(function(){var t=.5/(Math.PI*Ti.R);return we(t,.5,-t,.5)})()}),kr=r({},Si,{code:"EPSG:900913"});function Sn(t){return document.createElementNS("http://www.w3.org/2000/svg",t)}function En(t,e){var i="",n,o,h,c,p,m;for(n=0,h=t.length;n<h;n++){for(p=t[n],o=0,c=p.length;o<c;o++)m=p[o],i+=(o?"L":"M")+m.x+" "+m.y;i+=e?k.svg?"z":"x":""}return i||"M0 0"}var Ei=document.documentElement.style,We="ActiveXObject"in window,Lr=We&&!document.addEventListener,Cn="msLaunchUri"in navigator&&!("documentMode"in document),Ci=Lt("webkit"),zn=Lt("android"),An=Lt("android 2")||Lt("android 3"),Tr=parseInt(/WebKit\/([0-9]+)|$/.exec(navigator.userAgent)[1],10),$r=zn&&Lt("Google")&&Tr<537&&!("AudioNode"in window),zi=!!window.opera,Mn=!Cn&&Lt("chrome"),On=Lt("gecko")&&!Ci&&!zi&&!We,Sr=!Mn&&Lt("safari"),In=Lt("phantom"),Zn="OTransition"in Ei,Er=navigator.platform.indexOf("Win")===0,Bn=We&&"transition"in Ei,Ai="WebKitCSSMatrix"in window&&"m11"in new window.WebKitCSSMatrix&&!An,Dn="MozPerspective"in Ei,Cr=!window.L_DISABLE_3D&&(Bn||Ai||Dn)&&!Zn&&!In,xe=typeof orientation<"u"||Lt("mobile"),zr=xe&&Ci,Ar=xe&&Ai,Rn=!window.PointerEvent&&window.MSPointerEvent,Nn=!!(window.PointerEvent||Rn),qn="ontouchstart"in window||!!window.TouchEvent,Mr=!window.L_NO_TOUCH&&(qn||Nn),Or=xe&&zi,Ir=xe&&On,Zr=(window.devicePixelRatio||window.screen.deviceXDPI/window.screen.logicalXDPI)>1,Br=(function(){var t=!1;try{var e=Object.defineProperty({},"passive",{get:function(){t=!0}});window.addEventListener("testPassiveEventSupport",P,e),window.removeEventListener("testPassiveEventSupport",P,e)}catch{}return t})(),Dr=(function(){return!!document.createElement("canvas").getContext})(),Mi=!!(document.createElementNS&&Sn("svg").createSVGRect),Rr=!!Mi&&(function(){var t=document.createElement("div");return t.innerHTML="<svg/>",(t.firstChild&&t.firstChild.namespaceURI)==="http://www.w3.org/2000/svg"})(),Nr=!Mi&&(function(){try{var t=document.createElement("div");t.innerHTML='<v:shape adj="1"/>';var e=t.firstChild;return e.style.behavior="url(#default#VML)",e&&typeof e.adj=="object"}catch{return!1}})(),qr=navigator.platform.indexOf("Mac")===0,Hr=navigator.platform.indexOf("Linux")===0;function Lt(t){return navigator.userAgent.toLowerCase().indexOf(t)>=0}var k={ie:We,ielt9:Lr,edge:Cn,webkit:Ci,android:zn,android23:An,androidStock:$r,opera:zi,chrome:Mn,gecko:On,safari:Sr,phantom:In,opera12:Zn,win:Er,ie3d:Bn,webkit3d:Ai,gecko3d:Dn,any3d:Cr,mobile:xe,mobileWebkit:zr,mobileWebkit3d:Ar,msPointer:Rn,pointer:Nn,touch:Mr,touchNative:qn,mobileOpera:Or,mobileGecko:Ir,retina:Zr,passiveEvents:Br,canvas:Dr,svg:Mi,vml:Nr,inlineSvg:Rr,mac:qr,linux:Hr},Hn=k.msPointer?"MSPointerDown":"pointerdown",Fn=k.msPointer?"MSPointerMove":"pointermove",Wn=k.msPointer?"MSPointerUp":"pointerup",Un=k.msPointer?"MSPointerCancel":"pointercancel",Oi={touchstart:Hn,touchmove:Fn,touchend:Wn,touchcancel:Un},jn={touchstart:Vr,touchmove:Ue,touchend:Ue,touchcancel:Ue},re={},Gn=!1;function Fr(t,e,i){return e==="touchstart"&&Gr(),jn[e]?(i=jn[e].bind(this,i),t.addEventListener(Oi[e],i,!1),i):(console.warn("wrong event specified:",e),P)}function Wr(t,e,i){if(!Oi[e]){console.warn("wrong event specified:",e);return}t.removeEventListener(Oi[e],i,!1)}function Ur(t){re[t.pointerId]=t}function jr(t){re[t.pointerId]&&(re[t.pointerId]=t)}function Vn(t){delete re[t.pointerId]}function Gr(){Gn||(document.addEventListener(Hn,Ur,!0),document.addEventListener(Fn,jr,!0),document.addEventListener(Wn,Vn,!0),document.addEventListener(Un,Vn,!0),Gn=!0)}function Ue(t,e){if(e.pointerType!==(e.MSPOINTER_TYPE_MOUSE||"mouse")){e.touches=[];for(var i in re)e.touches.push(re[i]);e.changedTouches=[e],t(e)}}function Vr(t,e){e.MSPOINTER_TYPE_TOUCH&&e.pointerType===e.MSPOINTER_TYPE_TOUCH&&Q(e),Ue(t,e)}function Kr(t){var e={},i,n;for(n in t)i=t[n],e[n]=i&&i.bind?i.bind(t):i;return t=e,e.type="dblclick",e.detail=2,e.isTrusted=!1,e._simulated=!0,e}var Yr=200;function Jr(t,e){t.addEventListener("dblclick",e);var i=0,n;function o(h){if(h.detail!==1){n=h.detail;return}if(!(h.pointerType==="mouse"||h.sourceCapabilities&&!h.sourceCapabilities.firesTouchEvents)){var c=Qn(h);if(!(c.some(function(m){return m instanceof HTMLLabelElement&&m.attributes.for})&&!c.some(function(m){return m instanceof HTMLInputElement||m instanceof HTMLSelectElement}))){var p=Date.now();p-i<=Yr?(n++,n===2&&e(Kr(h))):n=1,i=p}}}return t.addEventListener("click",o),{dblclick:e,simDblclick:o}}function Xr(t,e){t.removeEventListener("dblclick",e.dblclick),t.removeEventListener("click",e.simDblclick)}var Ii=Ve(["transform","webkitTransform","OTransform","MozTransform","msTransform"]),Pe=Ve(["webkitTransition","transition","OTransition","MozTransition","msTransition"]),Kn=Pe==="webkitTransition"||Pe==="OTransition"?Pe+"End":"transitionend";function Yn(t){return typeof t=="string"?document.getElementById(t):t}function ke(t,e){var i=t.style[e]||t.currentStyle&&t.currentStyle[e];if((!i||i==="auto")&&document.defaultView){var n=document.defaultView.getComputedStyle(t,null);i=n?n[e]:null}return i==="auto"?null:i}function R(t,e,i){var n=document.createElement(t);return n.className=e||"",i&&i.appendChild(n),n}function W(t){var e=t.parentNode;e&&e.removeChild(t)}function je(t){for(;t.firstChild;)t.removeChild(t.firstChild)}function se(t){var e=t.parentNode;e&&e.lastChild!==t&&e.appendChild(t)}function ae(t){var e=t.parentNode;e&&e.firstChild!==t&&e.insertBefore(t,e.firstChild)}function Zi(t,e){if(t.classList!==void 0)return t.classList.contains(e);var i=Ge(t);return i.length>0&&new RegExp("(^|\\s)"+e+"(\\s|$)").test(i)}function O(t,e){if(t.classList!==void 0)for(var i=T(e),n=0,o=i.length;n<o;n++)t.classList.add(i[n]);else if(!Zi(t,e)){var h=Ge(t);Bi(t,(h?h+" ":"")+e)}}function j(t,e){t.classList!==void 0?t.classList.remove(e):Bi(t,C((" "+Ge(t)+" ").replace(" "+e+" "," ")))}function Bi(t,e){t.className.baseVal===void 0?t.className=e:t.className.baseVal=e}function Ge(t){return t.correspondingElement&&(t=t.correspondingElement),t.className.baseVal===void 0?t.className:t.className.baseVal}function pt(t,e){"opacity"in t.style?t.style.opacity=e:"filter"in t.style&&Qr(t,e)}function Qr(t,e){var i=!1,n="DXImageTransform.Microsoft.Alpha";try{i=t.filters.item(n)}catch{if(e===1)return}e=Math.round(e*100),i?(i.Enabled=e!==100,i.Opacity=e):t.style.filter+=" progid:"+n+"(opacity="+e+")"}function Ve(t){for(var e=document.documentElement.style,i=0;i<t.length;i++)if(t[i]in e)return t[i];return!1}function Wt(t,e,i){var n=e||new z(0,0);t.style[Ii]=(k.ie3d?"translate("+n.x+"px,"+n.y+"px)":"translate3d("+n.x+"px,"+n.y+"px,0)")+(i?" scale("+i+")":"")}function V(t,e){t._leaflet_pos=e,k.any3d?Wt(t,e):(t.style.left=e.x+"px",t.style.top=e.y+"px")}function Ut(t){return t._leaflet_pos||new z(0,0)}var Le,Te,Di;if("onselectstart"in document)Le=function(){A(window,"selectstart",Q)},Te=function(){H(window,"selectstart",Q)};else{var $e=Ve(["userSelect","WebkitUserSelect","OUserSelect","MozUserSelect","msUserSelect"]);Le=function(){if($e){var t=document.documentElement.style;Di=t[$e],t[$e]="none"}},Te=function(){$e&&(document.documentElement.style[$e]=Di,Di=void 0)}}function Ri(){A(window,"dragstart",Q)}function Ni(){H(window,"dragstart",Q)}var Ke,qi;function Hi(t){for(;t.tabIndex===-1;)t=t.parentNode;t.style&&(Ye(),Ke=t,qi=t.style.outlineStyle,t.style.outlineStyle="none",A(window,"keydown",Ye))}function Ye(){Ke&&(Ke.style.outlineStyle=qi,Ke=void 0,qi=void 0,H(window,"keydown",Ye))}function Jn(t){do t=t.parentNode;while((!t.offsetWidth||!t.offsetHeight)&&t!==document.body);return t}function Fi(t){var e=t.getBoundingClientRect();return{x:e.width/t.offsetWidth||1,y:e.height/t.offsetHeight||1,boundingClientRect:e}}var ts={__proto__:null,TRANSFORM:Ii,TRANSITION:Pe,TRANSITION_END:Kn,get:Yn,getStyle:ke,create:R,remove:W,empty:je,toFront:se,toBack:ae,hasClass:Zi,addClass:O,removeClass:j,setClass:Bi,getClass:Ge,setOpacity:pt,testProp:Ve,setTransform:Wt,setPosition:V,getPosition:Ut,get disableTextSelection(){return Le},get enableTextSelection(){return Te},disableImageDrag:Ri,enableImageDrag:Ni,preventOutline:Hi,restoreOutline:Ye,getSizedParentNode:Jn,getScale:Fi};function A(t,e,i,n){if(e&&typeof e=="object")for(var o in e)Ui(t,o,e[o],i);else{e=T(e);for(var h=0,c=e.length;h<c;h++)Ui(t,e[h],i,n)}return this}var Tt="_leaflet_events";function H(t,e,i,n){if(arguments.length===1)Xn(t),delete t[Tt];else if(e&&typeof e=="object")for(var o in e)ji(t,o,e[o],i);else if(e=T(e),arguments.length===2)Xn(t,function(p){return ye(e,p)!==-1});else for(var h=0,c=e.length;h<c;h++)ji(t,e[h],i,n);return this}function Xn(t,e){for(var i in t[Tt]){var n=i.split(/\d/)[0];(!e||e(n))&&ji(t,n,null,null,i)}}var Wi={mouseenter:"mouseover",mouseleave:"mouseout",wheel:!("onwheel"in window)&&"mousewheel"};function Ui(t,e,i,n){var o=e+f(i)+(n?"_"+f(n):"");if(t[Tt]&&t[Tt][o])return this;var h=function(p){return i.call(n||t,p||window.event)},c=h;!k.touchNative&&k.pointer&&e.indexOf("touch")===0?h=Fr(t,e,h):k.touch&&e==="dblclick"?h=Jr(t,h):"addEventListener"in t?e==="touchstart"||e==="touchmove"||e==="wheel"||e==="mousewheel"?t.addEventListener(Wi[e]||e,h,k.passiveEvents?{passive:!1}:!1):e==="mouseenter"||e==="mouseleave"?(h=function(p){p=p||window.event,Vi(t,p)&&c(p)},t.addEventListener(Wi[e],h,!1)):t.addEventListener(e,c,!1):t.attachEvent("on"+e,h),t[Tt]=t[Tt]||{},t[Tt][o]=h}function ji(t,e,i,n,o){o=o||e+f(i)+(n?"_"+f(n):"");var h=t[Tt]&&t[Tt][o];if(!h)return this;!k.touchNative&&k.pointer&&e.indexOf("touch")===0?Wr(t,e,h):k.touch&&e==="dblclick"?Xr(t,h):"removeEventListener"in t?t.removeEventListener(Wi[e]||e,h,!1):t.detachEvent("on"+e,h),t[Tt][o]=null}function jt(t){return t.stopPropagation?t.stopPropagation():t.originalEvent?t.originalEvent._stopped=!0:t.cancelBubble=!0,this}function Gi(t){return Ui(t,"wheel",jt),this}function Se(t){return A(t,"mousedown touchstart dblclick contextmenu",jt),t._leaflet_disable_click=!0,this}function Q(t){return t.preventDefault?t.preventDefault():t.returnValue=!1,this}function Gt(t){return Q(t),jt(t),this}function Qn(t){if(t.composedPath)return t.composedPath();for(var e=[],i=t.target;i;)e.push(i),i=i.parentNode;return e}function to(t,e){if(!e)return new z(t.clientX,t.clientY);var i=Fi(e),n=i.boundingClientRect;return new z((t.clientX-n.left)/i.x-e.clientLeft,(t.clientY-n.top)/i.y-e.clientTop)}var es=k.linux&&k.chrome?window.devicePixelRatio:k.mac?window.devicePixelRatio*3:window.devicePixelRatio>0?2*window.devicePixelRatio:1;function eo(t){return k.edge?t.wheelDeltaY/2:t.deltaY&&t.deltaMode===0?-t.deltaY/es:t.deltaY&&t.deltaMode===1?-t.deltaY*20:t.deltaY&&t.deltaMode===2?-t.deltaY*60:t.deltaX||t.deltaZ?0:t.wheelDelta?(t.wheelDeltaY||t.wheelDelta)/2:t.detail&&Math.abs(t.detail)<32765?-t.detail*20:t.detail?t.detail/-32765*60:0}function Vi(t,e){var i=e.relatedTarget;if(!i)return!0;try{for(;i&&i!==t;)i=i.parentNode}catch{return!1}return i!==t}var is={__proto__:null,on:A,off:H,stopPropagation:jt,disableScrollPropagation:Gi,disableClickPropagation:Se,preventDefault:Q,stop:Gt,getPropagationPath:Qn,getMousePosition:to,getWheelDelta:eo,isExternalTarget:Vi,addListener:A,removeListener:H},io=be.extend({run:function(t,e,i,n){this.stop(),this._el=t,this._inProgress=!0,this._duration=i||.25,this._easeOutPower=1/Math.max(n||.5,.2),this._startPos=Ut(t),this._offset=e.subtract(this._startPos),this._startTime=+new Date,this.fire("start"),this._animate()},stop:function(){this._inProgress&&(this._step(!0),this._complete())},_animate:function(){this._animId=ot(this._animate,this),this._step()},_step:function(t){var e=+new Date-this._startTime,i=this._duration*1e3;e<i?this._runFrame(this._easeOut(e/i),t):(this._runFrame(1),this._complete())},_runFrame:function(t,e){var i=this._startPos.add(this._offset.multiplyBy(t));e&&i._round(),V(this._el,i),this.fire("step")},_complete:function(){ft(this._animId),this._inProgress=!1,this.fire("end")},_easeOut:function(t){return 1-Math.pow(1-t,this._easeOutPower)}}),D=be.extend({options:{crs:Si,center:void 0,zoom:void 0,minZoom:void 0,maxZoom:void 0,layers:[],maxBounds:void 0,renderer:void 0,zoomAnimation:!0,zoomAnimationThreshold:4,fadeAnimation:!0,markerZoomAnimation:!0,transform3DLimit:8388608,zoomSnap:1,zoomDelta:1,trackResize:!0},initialize:function(t,e){e=$(this,e),this._handlers=[],this._layers={},this._zoomBoundLayers={},this._sizeChanged=!0,this._initContainer(t),this._initLayout(),this._onResize=s(this._onResize,this),this._initEvents(),e.maxBounds&&this.setMaxBounds(e.maxBounds),e.zoom!==void 0&&(this._zoom=this._limitZoom(e.zoom)),e.center&&e.zoom!==void 0&&this.setView(B(e.center),e.zoom,{reset:!0}),this.callInitHooks(),this._zoomAnimated=Pe&&k.any3d&&!k.mobileOpera&&this.options.zoomAnimation,this._zoomAnimated&&(this._createAnimProxy(),A(this._proxy,Kn,this._catchTransitionEnd,this)),this._addLayers(this.options.layers)},setView:function(t,e,i){if(e=e===void 0?this._zoom:this._limitZoom(e),t=this._limitCenter(B(t),e,this.options.maxBounds),i=i||{},this._stop(),this._loaded&&!i.reset&&i!==!0){i.animate!==void 0&&(i.zoom=r({animate:i.animate},i.zoom),i.pan=r({animate:i.animate,duration:i.duration},i.pan));var n=this._zoom!==e?this._tryAnimatedZoom&&this._tryAnimatedZoom(t,e,i.zoom):this._tryAnimatedPan(t,i.pan);if(n)return clearTimeout(this._sizeTimer),this}return this._resetView(t,e,i.pan&&i.pan.noMoveStart),this},setZoom:function(t,e){return this._loaded?this.setView(this.getCenter(),t,{zoom:e}):(this._zoom=t,this)},zoomIn:function(t,e){return t=t||(k.any3d?this.options.zoomDelta:1),this.setZoom(this._zoom+t,e)},zoomOut:function(t,e){return t=t||(k.any3d?this.options.zoomDelta:1),this.setZoom(this._zoom-t,e)},setZoomAround:function(t,e,i){var n=this.getZoomScale(e),o=this.getSize().divideBy(2),h=t instanceof z?t:this.latLngToContainerPoint(t),c=h.subtract(o).multiplyBy(1-1/n),p=this.containerPointToLatLng(o.add(c));return this.setView(p,e,{zoom:i})},_getBoundsCenterZoom:function(t,e){e=e||{},t=t.getBounds?t.getBounds():G(t);var i=E(e.paddingTopLeft||e.padding||[0,0]),n=E(e.paddingBottomRight||e.padding||[0,0]),o=this.getBoundsZoom(t,!1,i.add(n));if(o=typeof e.maxZoom=="number"?Math.min(e.maxZoom,o):o,o===1/0)return{center:t.getCenter(),zoom:o};var h=n.subtract(i).divideBy(2),c=this.project(t.getSouthWest(),o),p=this.project(t.getNorthEast(),o),m=this.unproject(c.add(p).divideBy(2).add(h),o);return{center:m,zoom:o}},fitBounds:function(t,e){if(t=G(t),!t.isValid())throw new Error("Bounds are not valid.");var i=this._getBoundsCenterZoom(t,e);return this.setView(i.center,i.zoom,e)},fitWorld:function(t){return this.fitBounds([[-90,-180],[90,180]],t)},panTo:function(t,e){return this.setView(t,this._zoom,{pan:e})},panBy:function(t,e){if(t=E(t).round(),e=e||{},!t.x&&!t.y)return this.fire("moveend");if(e.animate!==!0&&!this.getSize().contains(t))return this._resetView(this.unproject(this.project(this.getCenter()).add(t)),this.getZoom()),this;if(this._panAnim||(this._panAnim=new io,this._panAnim.on({step:this._onPanTransitionStep,end:this._onPanTransitionEnd},this)),e.noMoveStart||this.fire("movestart"),e.animate!==!1){O(this._mapPane,"leaflet-pan-anim");var i=this._getMapPanePos().subtract(t).round();this._panAnim.run(this._mapPane,i,e.duration||.25,e.easeLinearity)}else this._rawPanBy(t),this.fire("move").fire("moveend");return this},flyTo:function(t,e,i){if(i=i||{},i.animate===!1||!k.any3d)return this.setView(t,e,i);this._stop();var n=this.project(this.getCenter()),o=this.project(t),h=this.getSize(),c=this._zoom;t=B(t),e=e===void 0?c:e;var p=Math.max(h.x,h.y),m=p*this.getZoomScale(c,e),g=o.distanceTo(n)||1,b=1.42,S=b*b;function I(K){var li=K?-1:1,Ws=K?m:p,Us=m*m-p*p+li*S*S*g*g,js=2*Ws*S*g,sn=Us/js,Bo=Math.sqrt(sn*sn+1)-sn,Gs=Bo<1e-9?-18:Math.log(Bo);return Gs}function et(K){return(Math.exp(K)-Math.exp(-K))/2}function J(K){return(Math.exp(K)+Math.exp(-K))/2}function _t(K){return et(K)/J(K)}var at=I(0);function fe(K){return p*(J(at)/J(at+b*K))}function Ns(K){return p*(J(at)*_t(at+b*K)-et(at))/S}function qs(K){return 1-Math.pow(1-K,1.5)}var Hs=Date.now(),Io=(I(1)-at)/b,Fs=i.duration?1e3*i.duration:1e3*Io*.8;function Zo(){var K=(Date.now()-Hs)/Fs,li=qs(K)*Io;K<=1?(this._flyToFrame=ot(Zo,this),this._move(this.unproject(n.add(o.subtract(n).multiplyBy(Ns(li)/g)),c),this.getScaleZoom(p/fe(li),c),{flyTo:!0})):this._move(t,e)._moveEnd(!0)}return this._moveStart(!0,i.noMoveStart),Zo.call(this),this},flyToBounds:function(t,e){var i=this._getBoundsCenterZoom(t,e);return this.flyTo(i.center,i.zoom,e)},setMaxBounds:function(t){return t=G(t),this.listens("moveend",this._panInsideMaxBounds)&&this.off("moveend",this._panInsideMaxBounds),t.isValid()?(this.options.maxBounds=t,this._loaded&&this._panInsideMaxBounds(),this.on("moveend",this._panInsideMaxBounds)):(this.options.maxBounds=null,this)},setMinZoom:function(t){var e=this.options.minZoom;return this.options.minZoom=t,this._loaded&&e!==t&&(this.fire("zoomlevelschange"),this.getZoom()<this.options.minZoom)?this.setZoom(t):this},setMaxZoom:function(t){var e=this.options.maxZoom;return this.options.maxZoom=t,this._loaded&&e!==t&&(this.fire("zoomlevelschange"),this.getZoom()>this.options.maxZoom)?this.setZoom(t):this},panInsideBounds:function(t,e){this._enforcingBounds=!0;var i=this.getCenter(),n=this._limitCenter(i,this._zoom,G(t));return i.equals(n)||this.panTo(n,e),this._enforcingBounds=!1,this},panInside:function(t,e){e=e||{};var i=E(e.paddingTopLeft||e.padding||[0,0]),n=E(e.paddingBottomRight||e.padding||[0,0]),o=this.project(this.getCenter()),h=this.project(t),c=this.getPixelBounds(),p=rt([c.min.add(i),c.max.subtract(n)]),m=p.getSize();if(!p.contains(h)){this._enforcingBounds=!0;var g=h.subtract(p.getCenter()),b=p.extend(h).getSize().subtract(m);o.x+=g.x<0?-b.x:b.x,o.y+=g.y<0?-b.y:b.y,this.panTo(this.unproject(o),e),this._enforcingBounds=!1}return this},invalidateSize:function(t){if(!this._loaded)return this;t=r({animate:!1,pan:!0},t===!0?{animate:!0}:t);var e=this.getSize();this._sizeChanged=!0,this._lastCenter=null;var i=this.getSize(),n=e.divideBy(2).round(),o=i.divideBy(2).round(),h=n.subtract(o);return!h.x&&!h.y?this:(t.animate&&t.pan?this.panBy(h):(t.pan&&this._rawPanBy(h),this.fire("move"),t.debounceMoveend?(clearTimeout(this._sizeTimer),this._sizeTimer=setTimeout(s(this.fire,this,"moveend"),200)):this.fire("moveend")),this.fire("resize",{oldSize:e,newSize:i}))},stop:function(){return this.setZoom(this._limitZoom(this._zoom)),this.options.zoomSnap||this.fire("viewreset"),this._stop()},locate:function(t){if(t=this._locateOptions=r({timeout:1e4,watch:!1},t),!("geolocation"in navigator))return this._handleGeolocationError({code:0,message:"Geolocation not supported."}),this;var e=s(this._handleGeolocationResponse,this),i=s(this._handleGeolocationError,this);return t.watch?this._locationWatchId=navigator.geolocation.watchPosition(e,i,t):navigator.geolocation.getCurrentPosition(e,i,t),this},stopLocate:function(){return navigator.geolocation&&navigator.geolocation.clearWatch&&navigator.geolocation.clearWatch(this._locationWatchId),this._locateOptions&&(this._locateOptions.setView=!1),this},_handleGeolocationError:function(t){if(this._container._leaflet_id){var e=t.code,i=t.message||(e===1?"permission denied":e===2?"position unavailable":"timeout");this._locateOptions.setView&&!this._loaded&&this.fitWorld(),this.fire("locationerror",{code:e,message:"Geolocation error: "+i+"."})}},_handleGeolocationResponse:function(t){if(this._container._leaflet_id){var e=t.coords.latitude,i=t.coords.longitude,n=new q(e,i),o=n.toBounds(t.coords.accuracy*2),h=this._locateOptions;if(h.setView){var c=this.getBoundsZoom(o);this.setView(n,h.maxZoom?Math.min(c,h.maxZoom):c)}var p={latlng:n,bounds:o,timestamp:t.timestamp};for(var m in t.coords)typeof t.coords[m]=="number"&&(p[m]=t.coords[m]);this.fire("locationfound",p)}},addHandler:function(t,e){if(!e)return this;var i=this[t]=new e(this);return this._handlers.push(i),this.options[t]&&i.enable(),this},remove:function(){if(this._initEvents(!0),this.options.maxBounds&&this.off("moveend",this._panInsideMaxBounds),this._containerId!==this._container._leaflet_id)throw new Error("Map container is being reused by another instance");try{delete this._container._leaflet_id,delete this._containerId}catch{this._container._leaflet_id=void 0,this._containerId=void 0}this._locationWatchId!==void 0&&this.stopLocate(),this._stop(),W(this._mapPane),this._clearControlPos&&this._clearControlPos(),this._resizeRequest&&(ft(this._resizeRequest),this._resizeRequest=null),this._clearHandlers(),this._loaded&&this.fire("unload");var t;for(t in this._layers)this._layers[t].remove();for(t in this._panes)W(this._panes[t]);return this._layers=[],this._panes=[],delete this._mapPane,delete this._renderer,this},createPane:function(t,e){var i="leaflet-pane"+(t?" leaflet-"+t.replace("Pane","")+"-pane":""),n=R("div",i,e||this._mapPane);return t&&(this._panes[t]=n),n},getCenter:function(){return this._checkIfLoaded(),this._lastCenter&&!this._moved()?this._lastCenter.clone():this.layerPointToLatLng(this._getCenterLayerPoint())},getZoom:function(){return this._zoom},getBounds:function(){var t=this.getPixelBounds(),e=this.unproject(t.getBottomLeft()),i=this.unproject(t.getTopRight());return new st(e,i)},getMinZoom:function(){return this.options.minZoom===void 0?this._layersMinZoom||0:this.options.minZoom},getMaxZoom:function(){return this.options.maxZoom===void 0?this._layersMaxZoom===void 0?1/0:this._layersMaxZoom:this.options.maxZoom},getBoundsZoom:function(t,e,i){t=G(t),i=E(i||[0,0]);var n=this.getZoom()||0,o=this.getMinZoom(),h=this.getMaxZoom(),c=t.getNorthWest(),p=t.getSouthEast(),m=this.getSize().subtract(i),g=rt(this.project(p,n),this.project(c,n)).getSize(),b=k.any3d?this.options.zoomSnap:1,S=m.x/g.x,I=m.y/g.y,et=e?Math.max(S,I):Math.min(S,I);return n=this.getScaleZoom(et,n),b&&(n=Math.round(n/(b/100))*(b/100),n=e?Math.ceil(n/b)*b:Math.floor(n/b)*b),Math.max(o,Math.min(h,n))},getSize:function(){return(!this._size||this._sizeChanged)&&(this._size=new z(this._container.clientWidth||0,this._container.clientHeight||0),this._sizeChanged=!1),this._size.clone()},getPixelBounds:function(t,e){var i=this._getTopLeftPoint(t,e);return new F(i,i.add(this.getSize()))},getPixelOrigin:function(){return this._checkIfLoaded(),this._pixelOrigin},getPixelWorldBounds:function(t){return this.options.crs.getProjectedBounds(t===void 0?this.getZoom():t)},getPane:function(t){return typeof t=="string"?this._panes[t]:t},getPanes:function(){return this._panes},getContainer:function(){return this._container},getZoomScale:function(t,e){var i=this.options.crs;return e=e===void 0?this._zoom:e,i.scale(t)/i.scale(e)},getScaleZoom:function(t,e){var i=this.options.crs;e=e===void 0?this._zoom:e;var n=i.zoom(t*i.scale(e));return isNaN(n)?1/0:n},project:function(t,e){return e=e===void 0?this._zoom:e,this.options.crs.latLngToPoint(B(t),e)},unproject:function(t,e){return e=e===void 0?this._zoom:e,this.options.crs.pointToLatLng(E(t),e)},layerPointToLatLng:function(t){var e=E(t).add(this.getPixelOrigin());return this.unproject(e)},latLngToLayerPoint:function(t){var e=this.project(B(t))._round();return e._subtract(this.getPixelOrigin())},wrapLatLng:function(t){return this.options.crs.wrapLatLng(B(t))},wrapLatLngBounds:function(t){return this.options.crs.wrapLatLngBounds(G(t))},distance:function(t,e){return this.options.crs.distance(B(t),B(e))},containerPointToLayerPoint:function(t){return E(t).subtract(this._getMapPanePos())},layerPointToContainerPoint:function(t){return E(t).add(this._getMapPanePos())},containerPointToLatLng:function(t){var e=this.containerPointToLayerPoint(E(t));return this.layerPointToLatLng(e)},latLngToContainerPoint:function(t){return this.layerPointToContainerPoint(this.latLngToLayerPoint(B(t)))},mouseEventToContainerPoint:function(t){return to(t,this._container)},mouseEventToLayerPoint:function(t){return this.containerPointToLayerPoint(this.mouseEventToContainerPoint(t))},mouseEventToLatLng:function(t){return this.layerPointToLatLng(this.mouseEventToLayerPoint(t))},_initContainer:function(t){var e=this._container=Yn(t);if(e){if(e._leaflet_id)throw new Error("Map container is already initialized.")}else throw new Error("Map container not found.");A(e,"scroll",this._onScroll,this),this._containerId=f(e)},_initLayout:function(){var t=this._container;this._fadeAnimated=this.options.fadeAnimation&&k.any3d,O(t,"leaflet-container"+(k.touch?" leaflet-touch":"")+(k.retina?" leaflet-retina":"")+(k.ielt9?" leaflet-oldie":"")+(k.safari?" leaflet-safari":"")+(this._fadeAnimated?" leaflet-fade-anim":""));var e=ke(t,"position");e!=="absolute"&&e!=="relative"&&e!=="fixed"&&e!=="sticky"&&(t.style.position="relative"),this._initPanes(),this._initControlPos&&this._initControlPos()},_initPanes:function(){var t=this._panes={};this._paneRenderers={},this._mapPane=this.createPane("mapPane",this._container),V(this._mapPane,new z(0,0)),this.createPane("tilePane"),this.createPane("overlayPane"),this.createPane("shadowPane"),this.createPane("markerPane"),this.createPane("tooltipPane"),this.createPane("popupPane"),this.options.markerZoomAnimation||(O(t.markerPane,"leaflet-zoom-hide"),O(t.shadowPane,"leaflet-zoom-hide"))},_resetView:function(t,e,i){V(this._mapPane,new z(0,0));var n=!this._loaded;this._loaded=!0,e=this._limitZoom(e),this.fire("viewprereset");var o=this._zoom!==e;this._moveStart(o,i)._move(t,e)._moveEnd(o),this.fire("viewreset"),n&&this.fire("load")},_moveStart:function(t,e){return t&&this.fire("zoomstart"),e||this.fire("movestart"),this},_move:function(t,e,i,n){e===void 0&&(e=this._zoom);var o=this._zoom!==e;return this._zoom=e,this._lastCenter=t,this._pixelOrigin=this._getNewPixelOrigin(t),n?i&&i.pinch&&this.fire("zoom",i):((o||i&&i.pinch)&&this.fire("zoom",i),this.fire("move",i)),this},_moveEnd:function(t){return t&&this.fire("zoomend"),this.fire("moveend")},_stop:function(){return ft(this._flyToFrame),this._panAnim&&this._panAnim.stop(),this},_rawPanBy:function(t){V(this._mapPane,this._getMapPanePos().subtract(t))},_getZoomSpan:function(){return this.getMaxZoom()-this.getMinZoom()},_panInsideMaxBounds:function(){this._enforcingBounds||this.panInsideBounds(this.options.maxBounds)},_checkIfLoaded:function(){if(!this._loaded)throw new Error("Set map center and zoom first.")},_initEvents:function(t){this._targets={},this._targets[f(this._container)]=this;var e=t?H:A;e(this._container,"click dblclick mousedown mouseup mouseover mouseout mousemove contextmenu keypress keydown keyup",this._handleDOMEvent,this),this.options.trackResize&&e(window,"resize",this._onResize,this),k.any3d&&this.options.transform3DLimit&&(t?this.off:this.on).call(this,"moveend",this._onMoveEnd)},_onResize:function(){ft(this._resizeRequest),this._resizeRequest=ot(function(){this.invalidateSize({debounceMoveend:!0})},this)},_onScroll:function(){this._container.scrollTop=0,this._container.scrollLeft=0},_onMoveEnd:function(){var t=this._getMapPanePos();Math.max(Math.abs(t.x),Math.abs(t.y))>=this.options.transform3DLimit&&this._resetView(this.getCenter(),this.getZoom())},_findEventTargets:function(t,e){for(var i=[],n,o=e==="mouseout"||e==="mouseover",h=t.target||t.srcElement,c=!1;h;){if(n=this._targets[f(h)],n&&(e==="click"||e==="preclick")&&this._draggableMoved(n)){c=!0;break}if(n&&n.listens(e,!0)&&(o&&!Vi(h,t)||(i.push(n),o))||h===this._container)break;h=h.parentNode}return!i.length&&!c&&!o&&this.listens(e,!0)&&(i=[this]),i},_isClickDisabled:function(t){for(;t&&t!==this._container;){if(t._leaflet_disable_click)return!0;t=t.parentNode}},_handleDOMEvent:function(t){var e=t.target||t.srcElement;if(!(!this._loaded||e._leaflet_disable_events||t.type==="click"&&this._isClickDisabled(e))){var i=t.type;i==="mousedown"&&Hi(e),this._fireDOMEvent(t,i)}},_mouseEvents:["click","dblclick","mouseover","mouseout","contextmenu"],_fireDOMEvent:function(t,e,i){if(t.type==="click"){var n=r({},t);n.type="preclick",this._fireDOMEvent(n,n.type,i)}var o=this._findEventTargets(t,e);if(i){for(var h=[],c=0;c<i.length;c++)i[c].listens(e,!0)&&h.push(i[c]);o=h.concat(o)}if(o.length){e==="contextmenu"&&Q(t);var p=o[0],m={originalEvent:t};if(t.type!=="keypress"&&t.type!=="keydown"&&t.type!=="keyup"){var g=p.getLatLng&&(!p._radius||p._radius<=10);m.containerPoint=g?this.latLngToContainerPoint(p.getLatLng()):this.mouseEventToContainerPoint(t),m.layerPoint=this.containerPointToLayerPoint(m.containerPoint),m.latlng=g?p.getLatLng():this.layerPointToLatLng(m.layerPoint)}for(c=0;c<o.length;c++)if(o[c].fire(e,m,!0),m.originalEvent._stopped||o[c].options.bubblingMouseEvents===!1&&ye(this._mouseEvents,e)!==-1)return}},_draggableMoved:function(t){return t=t.dragging&&t.dragging.enabled()?t:this,t.dragging&&t.dragging.moved()||this.boxZoom&&this.boxZoom.moved()},_clearHandlers:function(){for(var t=0,e=this._handlers.length;t<e;t++)this._handlers[t].disable()},whenReady:function(t,e){return this._loaded?t.call(e||this,{target:this}):this.on("load",t,e),this},_getMapPanePos:function(){return Ut(this._mapPane)||new z(0,0)},_moved:function(){var t=this._getMapPanePos();return t&&!t.equals([0,0])},_getTopLeftPoint:function(t,e){var i=t&&e!==void 0?this._getNewPixelOrigin(t,e):this.getPixelOrigin();return i.subtract(this._getMapPanePos())},_getNewPixelOrigin:function(t,e){var i=this.getSize()._divideBy(2);return this.project(t,e)._subtract(i)._add(this._getMapPanePos())._round()},_latLngToNewLayerPoint:function(t,e,i){var n=this._getNewPixelOrigin(i,e);return this.project(t,e)._subtract(n)},_latLngBoundsToNewLayerBounds:function(t,e,i){var n=this._getNewPixelOrigin(i,e);return rt([this.project(t.getSouthWest(),e)._subtract(n),this.project(t.getNorthWest(),e)._subtract(n),this.project(t.getSouthEast(),e)._subtract(n),this.project(t.getNorthEast(),e)._subtract(n)])},_getCenterLayerPoint:function(){return this.containerPointToLayerPoint(this.getSize()._divideBy(2))},_getCenterOffset:function(t){return this.latLngToLayerPoint(t).subtract(this._getCenterLayerPoint())},_limitCenter:function(t,e,i){if(!i)return t;var n=this.project(t,e),o=this.getSize().divideBy(2),h=new F(n.subtract(o),n.add(o)),c=this._getBoundsOffset(h,i,e);return Math.abs(c.x)<=1&&Math.abs(c.y)<=1?t:this.unproject(n.add(c),e)},_limitOffset:function(t,e){if(!e)return t;var i=this.getPixelBounds(),n=new F(i.min.add(t),i.max.add(t));return t.add(this._getBoundsOffset(n,e))},_getBoundsOffset:function(t,e,i){var n=rt(this.project(e.getNorthEast(),i),this.project(e.getSouthWest(),i)),o=n.min.subtract(t.min),h=n.max.subtract(t.max),c=this._rebound(o.x,-h.x),p=this._rebound(o.y,-h.y);return new z(c,p)},_rebound:function(t,e){return t+e>0?Math.round(t-e)/2:Math.max(0,Math.ceil(t))-Math.max(0,Math.floor(e))},_limitZoom:function(t){var e=this.getMinZoom(),i=this.getMaxZoom(),n=k.any3d?this.options.zoomSnap:1;return n&&(t=Math.round(t/n)*n),Math.max(e,Math.min(i,t))},_onPanTransitionStep:function(){this.fire("move")},_onPanTransitionEnd:function(){j(this._mapPane,"leaflet-pan-anim"),this.fire("moveend")},_tryAnimatedPan:function(t,e){var i=this._getCenterOffset(t)._trunc();return(e&&e.animate)!==!0&&!this.getSize().contains(i)?!1:(this.panBy(i,e),!0)},_createAnimProxy:function(){var t=this._proxy=R("div","leaflet-proxy leaflet-zoom-animated");this._panes.mapPane.appendChild(t),this.on("zoomanim",function(e){var i=Ii,n=this._proxy.style[i];Wt(this._proxy,this.project(e.center,e.zoom),this.getZoomScale(e.zoom,1)),n===this._proxy.style[i]&&this._animatingZoom&&this._onZoomTransitionEnd()},this),this.on("load moveend",this._animMoveEnd,this),this._on("unload",this._destroyAnimProxy,this)},_destroyAnimProxy:function(){W(this._proxy),this.off("load moveend",this._animMoveEnd,this),delete this._proxy},_animMoveEnd:function(){var t=this.getCenter(),e=this.getZoom();Wt(this._proxy,this.project(t,e),this.getZoomScale(e,1))},_catchTransitionEnd:function(t){this._animatingZoom&&t.propertyName.indexOf("transform")>=0&&this._onZoomTransitionEnd()},_nothingToAnimate:function(){return!this._container.getElementsByClassName("leaflet-zoom-animated").length},_tryAnimatedZoom:function(t,e,i){if(this._animatingZoom)return!0;if(i=i||{},!this._zoomAnimated||i.animate===!1||this._nothingToAnimate()||Math.abs(e-this._zoom)>this.options.zoomAnimationThreshold)return!1;var n=this.getZoomScale(e),o=this._getCenterOffset(t)._divideBy(1-1/n);return i.animate!==!0&&!this.getSize().contains(o)?!1:(ot(function(){this._moveStart(!0,i.noMoveStart||!1)._animateZoom(t,e,!0)},this),!0)},_animateZoom:function(t,e,i,n){this._mapPane&&(i&&(this._animatingZoom=!0,this._animateToCenter=t,this._animateToZoom=e,O(this._mapPane,"leaflet-zoom-anim")),this.fire("zoomanim",{center:t,zoom:e,noUpdate:n}),this._tempFireZoomEvent||(this._tempFireZoomEvent=this._zoom!==this._animateToZoom),this._move(this._animateToCenter,this._animateToZoom,void 0,!0),setTimeout(s(this._onZoomTransitionEnd,this),250))},_onZoomTransitionEnd:function(){this._animatingZoom&&(this._mapPane&&j(this._mapPane,"leaflet-zoom-anim"),this._animatingZoom=!1,this._move(this._animateToCenter,this._animateToZoom,void 0,!0),this._tempFireZoomEvent&&this.fire("zoom"),delete this._tempFireZoomEvent,this.fire("move"),this._moveEnd(!0))}});function ns(t,e){return new D(t,e)}var yt=Ct.extend({options:{position:"topright"},initialize:function(t){$(this,t)},getPosition:function(){return this.options.position},setPosition:function(t){var e=this._map;return e&&e.removeControl(this),this.options.position=t,e&&e.addControl(this),this},getContainer:function(){return this._container},addTo:function(t){this.remove(),this._map=t;var e=this._container=this.onAdd(t),i=this.getPosition(),n=t._controlCorners[i];return O(e,"leaflet-control"),i.indexOf("bottom")!==-1?n.insertBefore(e,n.firstChild):n.appendChild(e),this._map.on("unload",this.remove,this),this},remove:function(){return this._map?(W(this._container),this.onRemove&&this.onRemove(this._map),this._map.off("unload",this.remove,this),this._map=null,this):this},_refocusOnMap:function(t){this._map&&t&&t.screenX>0&&t.screenY>0&&this._map.getContainer().focus()}}),Ee=function(t){return new yt(t)};D.include({addControl:function(t){return t.addTo(this),this},removeControl:function(t){return t.remove(),this},_initControlPos:function(){var t=this._controlCorners={},e="leaflet-",i=this._controlContainer=R("div",e+"control-container",this._container);function n(o,h){var c=e+o+" "+e+h;t[o+h]=R("div",c,i)}n("top","left"),n("top","right"),n("bottom","left"),n("bottom","right")},_clearControlPos:function(){for(var t in this._controlCorners)W(this._controlCorners[t]);W(this._controlContainer),delete this._controlCorners,delete this._controlContainer}});var no=yt.extend({options:{collapsed:!0,position:"topright",autoZIndex:!0,hideSingleBase:!1,sortLayers:!1,sortFunction:function(t,e,i,n){return i<n?-1:n<i?1:0}},initialize:function(t,e,i){$(this,i),this._layerControlInputs=[],this._layers=[],this._lastZIndex=0,this._handlingClick=!1,this._preventClick=!1;for(var n in t)this._addLayer(t[n],n);for(n in e)this._addLayer(e[n],n,!0)},onAdd:function(t){this._initLayout(),this._update(),this._map=t,t.on("zoomend",this._checkDisabledLayers,this);for(var e=0;e<this._layers.length;e++)this._layers[e].layer.on("add remove",this._onLayerChange,this);return this._container},addTo:function(t){return yt.prototype.addTo.call(this,t),this._expandIfNotCollapsed()},onRemove:function(){this._map.off("zoomend",this._checkDisabledLayers,this);for(var t=0;t<this._layers.length;t++)this._layers[t].layer.off("add remove",this._onLayerChange,this)},addBaseLayer:function(t,e){return this._addLayer(t,e),this._map?this._update():this},addOverlay:function(t,e){return this._addLayer(t,e,!0),this._map?this._update():this},removeLayer:function(t){t.off("add remove",this._onLayerChange,this);var e=this._getLayer(f(t));return e&&this._layers.splice(this._layers.indexOf(e),1),this._map?this._update():this},expand:function(){O(this._container,"leaflet-control-layers-expanded"),this._section.style.height=null;var t=this._map.getSize().y-(this._container.offsetTop+50);return t<this._section.clientHeight?(O(this._section,"leaflet-control-layers-scrollbar"),this._section.style.height=t+"px"):j(this._section,"leaflet-control-layers-scrollbar"),this._checkDisabledLayers(),this},collapse:function(){return j(this._container,"leaflet-control-layers-expanded"),this},_initLayout:function(){var t="leaflet-control-layers",e=this._container=R("div",t),i=this.options.collapsed;e.setAttribute("aria-haspopup",!0),Se(e),Gi(e);var n=this._section=R("section",t+"-list");i&&(this._map.on("click",this.collapse,this),A(e,{mouseenter:this._expandSafely,mouseleave:this.collapse},this));var o=this._layersLink=R("a",t+"-toggle",e);o.href="#",o.title="Layers",o.setAttribute("role","button"),A(o,{keydown:function(h){h.keyCode===13&&this._expandSafely()},click:function(h){Q(h),this._expandSafely()}},this),i||this.expand(),this._baseLayersList=R("div",t+"-base",n),this._separator=R("div",t+"-separator",n),this._overlaysList=R("div",t+"-overlays",n),e.appendChild(n)},_getLayer:function(t){for(var e=0;e<this._layers.length;e++)if(this._layers[e]&&f(this._layers[e].layer)===t)return this._layers[e]},_addLayer:function(t,e,i){this._map&&t.on("add remove",this._onLayerChange,this),this._layers.push({layer:t,name:e,overlay:i}),this.options.sortLayers&&this._layers.sort(s(function(n,o){return this.options.sortFunction(n.layer,o.layer,n.name,o.name)},this)),this.options.autoZIndex&&t.setZIndex&&(this._lastZIndex++,t.setZIndex(this._lastZIndex)),this._expandIfNotCollapsed()},_update:function(){if(!this._container)return this;je(this._baseLayersList),je(this._overlaysList),this._layerControlInputs=[];var t,e,i,n,o=0;for(i=0;i<this._layers.length;i++)n=this._layers[i],this._addItem(n),e=e||n.overlay,t=t||!n.overlay,o+=n.overlay?0:1;return this.options.hideSingleBase&&(t=t&&o>1,this._baseLayersList.style.display=t?"":"none"),this._separator.style.display=e&&t?"":"none",this},_onLayerChange:function(t){this._handlingClick||this._update();var e=this._getLayer(f(t.target)),i=e.overlay?t.type==="add"?"overlayadd":"overlayremove":t.type==="add"?"baselayerchange":null;i&&this._map.fire(i,e)},_createRadioElement:function(t,e){var i='<input type="radio" class="leaflet-control-layers-selector" name="'+t+'"'+(e?' checked="checked"':"")+"/>",n=document.createElement("div");return n.innerHTML=i,n.firstChild},_addItem:function(t){var e=document.createElement("label"),i=this._map.hasLayer(t.layer),n;t.overlay?(n=document.createElement("input"),n.type="checkbox",n.className="leaflet-control-layers-selector",n.defaultChecked=i):n=this._createRadioElement("leaflet-base-layers_"+f(this),i),this._layerControlInputs.push(n),n.layerId=f(t.layer),A(n,"click",this._onInputClick,this);var o=document.createElement("span");o.innerHTML=" "+t.name;var h=document.createElement("span");e.appendChild(h),h.appendChild(n),h.appendChild(o);var c=t.overlay?this._overlaysList:this._baseLayersList;return c.appendChild(e),this._checkDisabledLayers(),e},_onInputClick:function(){if(!this._preventClick){var t=this._layerControlInputs,e,i,n=[],o=[];this._handlingClick=!0;for(var h=t.length-1;h>=0;h--)e=t[h],i=this._getLayer(e.layerId).layer,e.checked?n.push(i):e.checked||o.push(i);for(h=0;h<o.length;h++)this._map.hasLayer(o[h])&&this._map.removeLayer(o[h]);for(h=0;h<n.length;h++)this._map.hasLayer(n[h])||this._map.addLayer(n[h]);this._handlingClick=!1,this._refocusOnMap()}},_checkDisabledLayers:function(){for(var t=this._layerControlInputs,e,i,n=this._map.getZoom(),o=t.length-1;o>=0;o--)e=t[o],i=this._getLayer(e.layerId).layer,e.disabled=i.options.minZoom!==void 0&&n<i.options.minZoom||i.options.maxZoom!==void 0&&n>i.options.maxZoom},_expandIfNotCollapsed:function(){return this._map&&!this.options.collapsed&&this.expand(),this},_expandSafely:function(){var t=this._section;this._preventClick=!0,A(t,"click",Q),this.expand();var e=this;setTimeout(function(){H(t,"click",Q),e._preventClick=!1})}}),os=function(t,e,i){return new no(t,e,i)},Ki=yt.extend({options:{position:"topleft",zoomInText:'<span aria-hidden="true">+</span>',zoomInTitle:"Zoom in",zoomOutText:'<span aria-hidden="true">&#x2212;</span>',zoomOutTitle:"Zoom out"},onAdd:function(t){var e="leaflet-control-zoom",i=R("div",e+" leaflet-bar"),n=this.options;return this._zoomInButton=this._createButton(n.zoomInText,n.zoomInTitle,e+"-in",i,this._zoomIn),this._zoomOutButton=this._createButton(n.zoomOutText,n.zoomOutTitle,e+"-out",i,this._zoomOut),this._updateDisabled(),t.on("zoomend zoomlevelschange",this._updateDisabled,this),i},onRemove:function(t){t.off("zoomend zoomlevelschange",this._updateDisabled,this)},disable:function(){return this._disabled=!0,this._updateDisabled(),this},enable:function(){return this._disabled=!1,this._updateDisabled(),this},_zoomIn:function(t){!this._disabled&&this._map._zoom<this._map.getMaxZoom()&&this._map.zoomIn(this._map.options.zoomDelta*(t.shiftKey?3:1))},_zoomOut:function(t){!this._disabled&&this._map._zoom>this._map.getMinZoom()&&this._map.zoomOut(this._map.options.zoomDelta*(t.shiftKey?3:1))},_createButton:function(t,e,i,n,o){var h=R("a",i,n);return h.innerHTML=t,h.href="#",h.title=e,h.setAttribute("role","button"),h.setAttribute("aria-label",e),Se(h),A(h,"click",Gt),A(h,"click",o,this),A(h,"click",this._refocusOnMap,this),h},_updateDisabled:function(){var t=this._map,e="leaflet-disabled";j(this._zoomInButton,e),j(this._zoomOutButton,e),this._zoomInButton.setAttribute("aria-disabled","false"),this._zoomOutButton.setAttribute("aria-disabled","false"),(this._disabled||t._zoom===t.getMinZoom())&&(O(this._zoomOutButton,e),this._zoomOutButton.setAttribute("aria-disabled","true")),(this._disabled||t._zoom===t.getMaxZoom())&&(O(this._zoomInButton,e),this._zoomInButton.setAttribute("aria-disabled","true"))}});D.mergeOptions({zoomControl:!0}),D.addInitHook(function(){this.options.zoomControl&&(this.zoomControl=new Ki,this.addControl(this.zoomControl))});var rs=function(t){return new Ki(t)},oo=yt.extend({options:{position:"bottomleft",maxWidth:100,metric:!0,imperial:!0},onAdd:function(t){var e="leaflet-control-scale",i=R("div",e),n=this.options;return this._addScales(n,e+"-line",i),t.on(n.updateWhenIdle?"moveend":"move",this._update,this),t.whenReady(this._update,this),i},onRemove:function(t){t.off(this.options.updateWhenIdle?"moveend":"move",this._update,this)},_addScales:function(t,e,i){t.metric&&(this._mScale=R("div",e,i)),t.imperial&&(this._iScale=R("div",e,i))},_update:function(){var t=this._map,e=t.getSize().y/2,i=t.distance(t.containerPointToLatLng([0,e]),t.containerPointToLatLng([this.options.maxWidth,e]));this._updateScales(i)},_updateScales:function(t){this.options.metric&&t&&this._updateMetric(t),this.options.imperial&&t&&this._updateImperial(t)},_updateMetric:function(t){var e=this._getRoundNum(t),i=e<1e3?e+" m":e/1e3+" km";this._updateScale(this._mScale,i,e/t)},_updateImperial:function(t){var e=t*3.2808399,i,n,o;e>5280?(i=e/5280,n=this._getRoundNum(i),this._updateScale(this._iScale,n+" mi",n/i)):(o=this._getRoundNum(e),this._updateScale(this._iScale,o+" ft",o/e))},_updateScale:function(t,e,i){t.style.width=Math.round(this.options.maxWidth*i)+"px",t.innerHTML=e},_getRoundNum:function(t){var e=Math.pow(10,(Math.floor(t)+"").length-1),i=t/e;return i=i>=10?10:i>=5?5:i>=3?3:i>=2?2:1,e*i}}),ss=function(t){return new oo(t)},as='<svg aria-hidden="true" xmlns="http://www.w3.org/2000/svg" width="12" height="8" viewBox="0 0 12 8" class="leaflet-attribution-flag"><path fill="#4C7BE1" d="M0 0h12v4H0z"/><path fill="#FFD500" d="M0 4h12v3H0z"/><path fill="#E0BC00" d="M0 7h12v1H0z"/></svg>',Yi=yt.extend({options:{position:"bottomright",prefix:'<a href="https://leafletjs.com" title="A JavaScript library for interactive maps">'+(k.inlineSvg?as+" ":"")+"Leaflet</a>"},initialize:function(t){$(this,t),this._attributions={}},onAdd:function(t){t.attributionControl=this,this._container=R("div","leaflet-control-attribution"),Se(this._container);for(var e in t._layers)t._layers[e].getAttribution&&this.addAttribution(t._layers[e].getAttribution());return this._update(),t.on("layeradd",this._addAttribution,this),this._container},onRemove:function(t){t.off("layeradd",this._addAttribution,this)},_addAttribution:function(t){t.layer.getAttribution&&(this.addAttribution(t.layer.getAttribution()),t.layer.once("remove",function(){this.removeAttribution(t.layer.getAttribution())},this))},setPrefix:function(t){return this.options.prefix=t,this._update(),this},addAttribution:function(t){return t?(this._attributions[t]||(this._attributions[t]=0),this._attributions[t]++,this._update(),this):this},removeAttribution:function(t){return t?(this._attributions[t]&&(this._attributions[t]--,this._update()),this):this},_update:function(){if(this._map){var t=[];for(var e in this._attributions)this._attributions[e]&&t.push(e);var i=[];this.options.prefix&&i.push(this.options.prefix),t.length&&i.push(t.join(", ")),this._container.innerHTML=i.join(' <span aria-hidden="true">|</span> ')}}});D.mergeOptions({attributionControl:!0}),D.addInitHook(function(){this.options.attributionControl&&new Yi().addTo(this)});var ls=function(t){return new Yi(t)};yt.Layers=no,yt.Zoom=Ki,yt.Scale=oo,yt.Attribution=Yi,Ee.layers=os,Ee.zoom=rs,Ee.scale=ss,Ee.attribution=ls;var $t=Ct.extend({initialize:function(t){this._map=t},enable:function(){return this._enabled?this:(this._enabled=!0,this.addHooks(),this)},disable:function(){return this._enabled?(this._enabled=!1,this.removeHooks(),this):this},enabled:function(){return!!this._enabled}});$t.addTo=function(t,e){return t.addHandler(e,this),this};var hs={Events:ht},ro=k.touch?"touchstart mousedown":"mousedown",Nt=be.extend({options:{clickTolerance:3},initialize:function(t,e,i,n){$(this,n),this._element=t,this._dragStartTarget=e||t,this._preventOutline=i},enable:function(){this._enabled||(A(this._dragStartTarget,ro,this._onDown,this),this._enabled=!0)},disable:function(){this._enabled&&(Nt._dragging===this&&this.finishDrag(!0),H(this._dragStartTarget,ro,this._onDown,this),this._enabled=!1,this._moved=!1)},_onDown:function(t){if(this._enabled&&(this._moved=!1,!Zi(this._element,"leaflet-zoom-anim"))){if(t.touches&&t.touches.length!==1){Nt._dragging===this&&this.finishDrag();return}if(!(Nt._dragging||t.shiftKey||t.which!==1&&t.button!==1&&!t.touches)&&(Nt._dragging=this,this._preventOutline&&Hi(this._element),Ri(),Le(),!this._moving)){this.fire("down");var e=t.touches?t.touches[0]:t,i=Jn(this._element);this._startPoint=new z(e.clientX,e.clientY),this._startPos=Ut(this._element),this._parentScale=Fi(i);var n=t.type==="mousedown";A(document,n?"mousemove":"touchmove",this._onMove,this),A(document,n?"mouseup":"touchend touchcancel",this._onUp,this)}}},_onMove:function(t){if(this._enabled){if(t.touches&&t.touches.length>1){this._moved=!0;return}var e=t.touches&&t.touches.length===1?t.touches[0]:t,i=new z(e.clientX,e.clientY)._subtract(this._startPoint);!i.x&&!i.y||Math.abs(i.x)+Math.abs(i.y)<this.options.clickTolerance||(i.x/=this._parentScale.x,i.y/=this._parentScale.y,Q(t),this._moved||(this.fire("dragstart"),this._moved=!0,O(document.body,"leaflet-dragging"),this._lastTarget=t.target||t.srcElement,window.SVGElementInstance&&this._lastTarget instanceof window.SVGElementInstance&&(this._lastTarget=this._lastTarget.correspondingUseElement),O(this._lastTarget,"leaflet-drag-target")),this._newPos=this._startPos.add(i),this._moving=!0,this._lastEvent=t,this._updatePosition())}},_updatePosition:function(){var t={originalEvent:this._lastEvent};this.fire("predrag",t),V(this._element,this._newPos),this.fire("drag",t)},_onUp:function(){this._enabled&&this.finishDrag()},finishDrag:function(t){j(document.body,"leaflet-dragging"),this._lastTarget&&(j(this._lastTarget,"leaflet-drag-target"),this._lastTarget=null),H(document,"mousemove touchmove",this._onMove,this),H(document,"mouseup touchend touchcancel",this._onUp,this),Ni(),Te();var e=this._moved&&this._moving;this._moving=!1,Nt._dragging=!1,e&&this.fire("dragend",{noInertia:t,distance:this._newPos.distanceTo(this._startPos)})}});function so(t,e,i){var n,o=[1,4,2,8],h,c,p,m,g,b,S,I;for(h=0,b=t.length;h<b;h++)t[h]._code=Vt(t[h],e);for(p=0;p<4;p++){for(S=o[p],n=[],h=0,b=t.length,c=b-1;h<b;c=h++)m=t[h],g=t[c],m._code&S?g._code&S||(I=Je(g,m,S,e,i),I._code=Vt(I,e),n.push(I)):(g._code&S&&(I=Je(g,m,S,e,i),I._code=Vt(I,e),n.push(I)),n.push(m));t=n}return t}function ao(t,e){var i,n,o,h,c,p,m,g,b;if(!t||t.length===0)throw new Error("latlngs not passed");mt(t)||(console.warn("latlngs are not flat! Only the first ring will be used"),t=t[0]);var S=B([0,0]),I=G(t),et=I.getNorthWest().distanceTo(I.getSouthWest())*I.getNorthEast().distanceTo(I.getNorthWest());et<1700&&(S=Ji(t));var J=t.length,_t=[];for(i=0;i<J;i++){var at=B(t[i]);_t.push(e.project(B([at.lat-S.lat,at.lng-S.lng])))}for(p=m=g=0,i=0,n=J-1;i<J;n=i++)o=_t[i],h=_t[n],c=o.y*h.x-h.y*o.x,m+=(o.x+h.x)*c,g+=(o.y+h.y)*c,p+=c*3;p===0?b=_t[0]:b=[m/p,g/p];var fe=e.unproject(E(b));return B([fe.lat+S.lat,fe.lng+S.lng])}function Ji(t){for(var e=0,i=0,n=0,o=0;o<t.length;o++){var h=B(t[o]);e+=h.lat,i+=h.lng,n++}return B([e/n,i/n])}var ds={__proto__:null,clipPolygon:so,polygonCenter:ao,centroid:Ji};function lo(t,e){if(!e||!t.length)return t.slice();var i=e*e;return t=fs(t,i),t=us(t,i),t}function ho(t,e,i){return Math.sqrt(Ce(t,e,i,!0))}function cs(t,e,i){return Ce(t,e,i)}function us(t,e){var i=t.length,n=typeof Uint8Array<"u"?Uint8Array:Array,o=new n(i);o[0]=o[i-1]=1,Xi(t,o,e,0,i-1);var h,c=[];for(h=0;h<i;h++)o[h]&&c.push(t[h]);return c}function Xi(t,e,i,n,o){var h=0,c,p,m;for(p=n+1;p<=o-1;p++)m=Ce(t[p],t[n],t[o],!0),m>h&&(c=p,h=m);h>i&&(e[c]=1,Xi(t,e,i,n,c),Xi(t,e,i,c,o))}function fs(t,e){for(var i=[t[0]],n=1,o=0,h=t.length;n<h;n++)ps(t[n],t[o])>e&&(i.push(t[n]),o=n);return o<h-1&&i.push(t[h-1]),i}var co;function uo(t,e,i,n,o){var h=n?co:Vt(t,i),c=Vt(e,i),p,m,g;for(co=c;;){if(!(h|c))return[t,e];if(h&c)return!1;p=h||c,m=Je(t,e,p,i,o),g=Vt(m,i),p===h?(t=m,h=g):(e=m,c=g)}}function Je(t,e,i,n,o){var h=e.x-t.x,c=e.y-t.y,p=n.min,m=n.max,g,b;return i&8?(g=t.x+h*(m.y-t.y)/c,b=m.y):i&4?(g=t.x+h*(p.y-t.y)/c,b=p.y):i&2?(g=m.x,b=t.y+c*(m.x-t.x)/h):i&1&&(g=p.x,b=t.y+c*(p.x-t.x)/h),new z(g,b,o)}function Vt(t,e){var i=0;return t.x<e.min.x?i|=1:t.x>e.max.x&&(i|=2),t.y<e.min.y?i|=4:t.y>e.max.y&&(i|=8),i}function ps(t,e){var i=e.x-t.x,n=e.y-t.y;return i*i+n*n}function Ce(t,e,i,n){var o=e.x,h=e.y,c=i.x-o,p=i.y-h,m=c*c+p*p,g;return m>0&&(g=((t.x-o)*c+(t.y-h)*p)/m,g>1?(o=i.x,h=i.y):g>0&&(o+=c*g,h+=p*g)),c=t.x-o,p=t.y-h,n?c*c+p*p:new z(o,h)}function mt(t){return!ut(t[0])||typeof t[0][0]!="object"&&typeof t[0][0]<"u"}function fo(t){return console.warn("Deprecated use of _flat, please use L.LineUtil.isFlat instead."),mt(t)}function po(t,e){var i,n,o,h,c,p,m,g;if(!t||t.length===0)throw new Error("latlngs not passed");mt(t)||(console.warn("latlngs are not flat! Only the first ring will be used"),t=t[0]);var b=B([0,0]),S=G(t),I=S.getNorthWest().distanceTo(S.getSouthWest())*S.getNorthEast().distanceTo(S.getNorthWest());I<1700&&(b=Ji(t));var et=t.length,J=[];for(i=0;i<et;i++){var _t=B(t[i]);J.push(e.project(B([_t.lat-b.lat,_t.lng-b.lng])))}for(i=0,n=0;i<et-1;i++)n+=J[i].distanceTo(J[i+1])/2;if(n===0)g=J[0];else for(i=0,h=0;i<et-1;i++)if(c=J[i],p=J[i+1],o=c.distanceTo(p),h+=o,h>n){m=(h-n)/o,g=[p.x-m*(p.x-c.x),p.y-m*(p.y-c.y)];break}var at=e.unproject(E(g));return B([at.lat+b.lat,at.lng+b.lng])}var ms={__proto__:null,simplify:lo,pointToSegmentDistance:ho,closestPointOnSegment:cs,clipSegment:uo,_getEdgeIntersection:Je,_getBitCode:Vt,_sqClosestPointOnSegment:Ce,isFlat:mt,_flat:fo,polylineCenter:po},Qi={project:function(t){return new z(t.lng,t.lat)},unproject:function(t){return new q(t.y,t.x)},bounds:new F([-180,-90],[180,90])},tn={R:6378137,R_MINOR:6356752314245179e-9,bounds:new F([-2003750834279e-5,-1549657073972e-5],[2003750834279e-5,1876465623138e-5]),project:function(t){var e=Math.PI/180,i=this.R,n=t.lat*e,o=this.R_MINOR/i,h=Math.sqrt(1-o*o),c=h*Math.sin(n),p=Math.tan(Math.PI/4-n/2)/Math.pow((1-c)/(1+c),h/2);return n=-i*Math.log(Math.max(p,1e-10)),new z(t.lng*e*i,n)},unproject:function(t){for(var e=180/Math.PI,i=this.R,n=this.R_MINOR/i,o=Math.sqrt(1-n*n),h=Math.exp(-t.y/i),c=Math.PI/2-2*Math.atan(h),p=0,m=.1,g;p<15&&Math.abs(m)>1e-7;p++)g=o*Math.sin(c),g=Math.pow((1-g)/(1+g),o/2),m=Math.PI/2-2*Math.atan(h*g)-c,c+=m;return new q(c*e,t.x*e/i)}},_s={__proto__:null,LonLat:Qi,Mercator:tn,SphericalMercator:Ti},gs=r({},Rt,{code:"EPSG:3395",projection:tn,transformation:(function(){var t=.5/(Math.PI*tn.R);return we(t,.5,-t,.5)})()}),mo=r({},Rt,{code:"EPSG:4326",projection:Qi,transformation:we(1/180,1,-1/180,.5)}),vs=r({},zt,{projection:Qi,transformation:we(1,0,-1,0),scale:function(t){return Math.pow(2,t)},zoom:function(t){return Math.log(t)/Math.LN2},distance:function(t,e){var i=e.lng-t.lng,n=e.lat-t.lat;return Math.sqrt(i*i+n*n)},infinite:!0});zt.Earth=Rt,zt.EPSG3395=gs,zt.EPSG3857=Si,zt.EPSG900913=kr,zt.EPSG4326=mo,zt.Simple=vs;var bt=be.extend({options:{pane:"overlayPane",attribution:null,bubblingMouseEvents:!0},addTo:function(t){return t.addLayer(this),this},remove:function(){return this.removeFrom(this._map||this._mapToAdd)},removeFrom:function(t){return t&&t.removeLayer(this),this},getPane:function(t){return this._map.getPane(t?this.options[t]||t:this.options.pane)},addInteractiveTarget:function(t){return this._map._targets[f(t)]=this,this},removeInteractiveTarget:function(t){return delete this._map._targets[f(t)],this},getAttribution:function(){return this.options.attribution},_layerAdd:function(t){var e=t.target;if(e.hasLayer(this)){if(this._map=e,this._zoomAnimated=e._zoomAnimated,this.getEvents){var i=this.getEvents();e.on(i,this),this.once("remove",function(){e.off(i,this)},this)}this.onAdd(e),this.fire("add"),e.fire("layeradd",{layer:this})}}});D.include({addLayer:function(t){if(!t._layerAdd)throw new Error("The provided object is not a Layer.");var e=f(t);return this._layers[e]?this:(this._layers[e]=t,t._mapToAdd=this,t.beforeAdd&&t.beforeAdd(this),this.whenReady(t._layerAdd,t),this)},removeLayer:function(t){var e=f(t);return this._layers[e]?(this._loaded&&t.onRemove(this),delete this._layers[e],this._loaded&&(this.fire("layerremove",{layer:t}),t.fire("remove")),t._map=t._mapToAdd=null,this):this},hasLayer:function(t){return f(t)in this._layers},eachLayer:function(t,e){for(var i in this._layers)t.call(e,this._layers[i]);return this},_addLayers:function(t){t=t?ut(t)?t:[t]:[];for(var e=0,i=t.length;e<i;e++)this.addLayer(t[e])},_addZoomLimit:function(t){(!isNaN(t.options.maxZoom)||!isNaN(t.options.minZoom))&&(this._zoomBoundLayers[f(t)]=t,this._updateZoomLevels())},_removeZoomLimit:function(t){var e=f(t);this._zoomBoundLayers[e]&&(delete this._zoomBoundLayers[e],this._updateZoomLevels())},_updateZoomLevels:function(){var t=1/0,e=-1/0,i=this._getZoomSpan();for(var n in this._zoomBoundLayers){var o=this._zoomBoundLayers[n].options;t=o.minZoom===void 0?t:Math.min(t,o.minZoom),e=o.maxZoom===void 0?e:Math.max(e,o.maxZoom)}this._layersMaxZoom=e===-1/0?void 0:e,this._layersMinZoom=t===1/0?void 0:t,i!==this._getZoomSpan()&&this.fire("zoomlevelschange"),this.options.maxZoom===void 0&&this._layersMaxZoom&&this.getZoom()>this._layersMaxZoom&&this.setZoom(this._layersMaxZoom),this.options.minZoom===void 0&&this._layersMinZoom&&this.getZoom()<this._layersMinZoom&&this.setZoom(this._layersMinZoom)}});var le=bt.extend({initialize:function(t,e){$(this,e),this._layers={};var i,n;if(t)for(i=0,n=t.length;i<n;i++)this.addLayer(t[i])},addLayer:function(t){var e=this.getLayerId(t);return this._layers[e]=t,this._map&&this._map.addLayer(t),this},removeLayer:function(t){var e=t in this._layers?t:this.getLayerId(t);return this._map&&this._layers[e]&&this._map.removeLayer(this._layers[e]),delete this._layers[e],this},hasLayer:function(t){var e=typeof t=="number"?t:this.getLayerId(t);return e in this._layers},clearLayers:function(){return this.eachLayer(this.removeLayer,this)},invoke:function(t){var e=Array.prototype.slice.call(arguments,1),i,n;for(i in this._layers)n=this._layers[i],n[t]&&n[t].apply(n,e);return this},onAdd:function(t){this.eachLayer(t.addLayer,t)},onRemove:function(t){this.eachLayer(t.removeLayer,t)},eachLayer:function(t,e){for(var i in this._layers)t.call(e,this._layers[i]);return this},getLayer:function(t){return this._layers[t]},getLayers:function(){var t=[];return this.eachLayer(t.push,t),t},setZIndex:function(t){return this.invoke("setZIndex",t)},getLayerId:function(t){return f(t)}}),ys=function(t,e){return new le(t,e)},At=le.extend({addLayer:function(t){return this.hasLayer(t)?this:(t.addEventParent(this),le.prototype.addLayer.call(this,t),this.fire("layeradd",{layer:t}))},removeLayer:function(t){return this.hasLayer(t)?(t in this._layers&&(t=this._layers[t]),t.removeEventParent(this),le.prototype.removeLayer.call(this,t),this.fire("layerremove",{layer:t})):this},setStyle:function(t){return this.invoke("setStyle",t)},bringToFront:function(){return this.invoke("bringToFront")},bringToBack:function(){return this.invoke("bringToBack")},getBounds:function(){var t=new st;for(var e in this._layers){var i=this._layers[e];t.extend(i.getBounds?i.getBounds():i.getLatLng())}return t}}),bs=function(t,e){return new At(t,e)},he=Ct.extend({options:{popupAnchor:[0,0],tooltipAnchor:[0,0],crossOrigin:!1},initialize:function(t){$(this,t)},createIcon:function(t){return this._createIcon("icon",t)},createShadow:function(t){return this._createIcon("shadow",t)},_createIcon:function(t,e){var i=this._getIconUrl(t);if(!i){if(t==="icon")throw new Error("iconUrl not set in Icon options (see the docs).");return null}var n=this._createImg(i,e&&e.tagName==="IMG"?e:null);return this._setIconStyles(n,t),(this.options.crossOrigin||this.options.crossOrigin==="")&&(n.crossOrigin=this.options.crossOrigin===!0?"":this.options.crossOrigin),n},_setIconStyles:function(t,e){var i=this.options,n=i[e+"Size"];typeof n=="number"&&(n=[n,n]);var o=E(n),h=E(e==="shadow"&&i.shadowAnchor||i.iconAnchor||o&&o.divideBy(2,!0));t.className="leaflet-marker-"+e+" "+(i.className||""),h&&(t.style.marginLeft=-h.x+"px",t.style.marginTop=-h.y+"px"),o&&(t.style.width=o.x+"px",t.style.height=o.y+"px")},_createImg:function(t,e){return e=e||document.createElement("img"),e.src=t,e},_getIconUrl:function(t){return k.retina&&this.options[t+"RetinaUrl"]||this.options[t+"Url"]}});function ws(t){return new he(t)}var ze=he.extend({options:{iconUrl:"marker-icon.png",iconRetinaUrl:"marker-icon-2x.png",shadowUrl:"marker-shadow.png",iconSize:[25,41],iconAnchor:[12,41],popupAnchor:[1,-34],tooltipAnchor:[16,-28],shadowSize:[41,41]},_getIconUrl:function(t){return typeof ze.imagePath!="string"&&(ze.imagePath=this._detectIconPath()),(this.options.imagePath||ze.imagePath)+he.prototype._getIconUrl.call(this,t)},_stripUrl:function(t){var e=function(i,n,o){var h=n.exec(i);return h&&h[o]};return t=e(t,/^url\((['"])?(.+)\1\)$/,2),t&&e(t,/^(.*)marker-icon\.png$/,1)},_detectIconPath:function(){var t=R("div","leaflet-default-icon-path",document.body),e=ke(t,"background-image")||ke(t,"backgroundImage");if(document.body.removeChild(t),e=this._stripUrl(e),e)return e;var i=document.querySelector('link[href$="leaflet.css"]');return i?i.href.substring(0,i.href.length-11-1):""}}),_o=$t.extend({initialize:function(t){this._marker=t},addHooks:function(){var t=this._marker._icon;this._draggable||(this._draggable=new Nt(t,t,!0)),this._draggable.on({dragstart:this._onDragStart,predrag:this._onPreDrag,drag:this._onDrag,dragend:this._onDragEnd},this).enable(),O(t,"leaflet-marker-draggable")},removeHooks:function(){this._draggable.off({dragstart:this._onDragStart,predrag:this._onPreDrag,drag:this._onDrag,dragend:this._onDragEnd},this).disable(),this._marker._icon&&j(this._marker._icon,"leaflet-marker-draggable")},moved:function(){return this._draggable&&this._draggable._moved},_adjustPan:function(t){var e=this._marker,i=e._map,n=this._marker.options.autoPanSpeed,o=this._marker.options.autoPanPadding,h=Ut(e._icon),c=i.getPixelBounds(),p=i.getPixelOrigin(),m=rt(c.min._subtract(p).add(o),c.max._subtract(p).subtract(o));if(!m.contains(h)){var g=E((Math.max(m.max.x,h.x)-m.max.x)/(c.max.x-m.max.x)-(Math.min(m.min.x,h.x)-m.min.x)/(c.min.x-m.min.x),(Math.max(m.max.y,h.y)-m.max.y)/(c.max.y-m.max.y)-(Math.min(m.min.y,h.y)-m.min.y)/(c.min.y-m.min.y)).multiplyBy(n);i.panBy(g,{animate:!1}),this._draggable._newPos._add(g),this._draggable._startPos._add(g),V(e._icon,this._draggable._newPos),this._onDrag(t),this._panRequest=ot(this._adjustPan.bind(this,t))}},_onDragStart:function(){this._oldLatLng=this._marker.getLatLng(),this._marker.closePopup&&this._marker.closePopup(),this._marker.fire("movestart").fire("dragstart")},_onPreDrag:function(t){this._marker.options.autoPan&&(ft(this._panRequest),this._panRequest=ot(this._adjustPan.bind(this,t)))},_onDrag:function(t){var e=this._marker,i=e._shadow,n=Ut(e._icon),o=e._map.layerPointToLatLng(n);i&&V(i,n),e._latlng=o,t.latlng=o,t.oldLatLng=this._oldLatLng,e.fire("move",t).fire("drag",t)},_onDragEnd:function(t){ft(this._panRequest),delete this._oldLatLng,this._marker.fire("moveend").fire("dragend",t)}}),Xe=bt.extend({options:{icon:new ze,interactive:!0,keyboard:!0,title:"",alt:"Marker",zIndexOffset:0,opacity:1,riseOnHover:!1,riseOffset:250,pane:"markerPane",shadowPane:"shadowPane",bubblingMouseEvents:!1,autoPanOnFocus:!0,draggable:!1,autoPan:!1,autoPanPadding:[50,50],autoPanSpeed:10},initialize:function(t,e){$(this,e),this._latlng=B(t)},onAdd:function(t){this._zoomAnimated=this._zoomAnimated&&t.options.markerZoomAnimation,this._zoomAnimated&&t.on("zoomanim",this._animateZoom,this),this._initIcon(),this.update()},onRemove:function(t){this.dragging&&this.dragging.enabled()&&(this.options.draggable=!0,this.dragging.removeHooks()),delete this.dragging,this._zoomAnimated&&t.off("zoomanim",this._animateZoom,this),this._removeIcon(),this._removeShadow()},getEvents:function(){return{zoom:this.update,viewreset:this.update}},getLatLng:function(){return this._latlng},setLatLng:function(t){var e=this._latlng;return this._latlng=B(t),this.update(),this.fire("move",{oldLatLng:e,latlng:this._latlng})},setZIndexOffset:function(t){return this.options.zIndexOffset=t,this.update()},getIcon:function(){return this.options.icon},setIcon:function(t){return this.options.icon=t,this._map&&(this._initIcon(),this.update()),this._popup&&this.bindPopup(this._popup,this._popup.options),this},getElement:function(){return this._icon},update:function(){if(this._icon&&this._map){var t=this._map.latLngToLayerPoint(this._latlng).round();this._setPos(t)}return this},_initIcon:function(){var t=this.options,e="leaflet-zoom-"+(this._zoomAnimated?"animated":"hide"),i=t.icon.createIcon(this._icon),n=!1;i!==this._icon&&(this._icon&&this._removeIcon(),n=!0,t.title&&(i.title=t.title),i.tagName==="IMG"&&(i.alt=t.alt||"")),O(i,e),t.keyboard&&(i.tabIndex="0",i.setAttribute("role","button")),this._icon=i,t.riseOnHover&&this.on({mouseover:this._bringToFront,mouseout:this._resetZIndex}),this.options.autoPanOnFocus&&A(i,"focus",this._panOnFocus,this);var o=t.icon.createShadow(this._shadow),h=!1;o!==this._shadow&&(this._removeShadow(),h=!0),o&&(O(o,e),o.alt=""),this._shadow=o,t.opacity<1&&this._updateOpacity(),n&&this.getPane().appendChild(this._icon),this._initInteraction(),o&&h&&this.getPane(t.shadowPane).appendChild(this._shadow)},_removeIcon:function(){this.options.riseOnHover&&this.off({mouseover:this._bringToFront,mouseout:this._resetZIndex}),this.options.autoPanOnFocus&&H(this._icon,"focus",this._panOnFocus,this),W(this._icon),this.removeInteractiveTarget(this._icon),this._icon=null},_removeShadow:function(){this._shadow&&W(this._shadow),this._shadow=null},_setPos:function(t){this._icon&&V(this._icon,t),this._shadow&&V(this._shadow,t),this._zIndex=t.y+this.options.zIndexOffset,this._resetZIndex()},_updateZIndex:function(t){this._icon&&(this._icon.style.zIndex=this._zIndex+t)},_animateZoom:function(t){var e=this._map._latLngToNewLayerPoint(this._latlng,t.zoom,t.center).round();this._setPos(e)},_initInteraction:function(){if(this.options.interactive&&(O(this._icon,"leaflet-interactive"),this.addInteractiveTarget(this._icon),_o)){var t=this.options.draggable;this.dragging&&(t=this.dragging.enabled(),this.dragging.disable()),this.dragging=new _o(this),t&&this.dragging.enable()}},setOpacity:function(t){return this.options.opacity=t,this._map&&this._updateOpacity(),this},_updateOpacity:function(){var t=this.options.opacity;this._icon&&pt(this._icon,t),this._shadow&&pt(this._shadow,t)},_bringToFront:function(){this._updateZIndex(this.options.riseOffset)},_resetZIndex:function(){this._updateZIndex(0)},_panOnFocus:function(){var t=this._map;if(t){var e=this.options.icon.options,i=e.iconSize?E(e.iconSize):E(0,0),n=e.iconAnchor?E(e.iconAnchor):E(0,0);t.panInside(this._latlng,{paddingTopLeft:n,paddingBottomRight:i.subtract(n)})}},_getPopupAnchor:function(){return this.options.icon.options.popupAnchor},_getTooltipAnchor:function(){return this.options.icon.options.tooltipAnchor}});function xs(t,e){return new Xe(t,e)}var qt=bt.extend({options:{stroke:!0,color:"#3388ff",weight:3,opacity:1,lineCap:"round",lineJoin:"round",dashArray:null,dashOffset:null,fill:!1,fillColor:null,fillOpacity:.2,fillRule:"evenodd",interactive:!0,bubblingMouseEvents:!0},beforeAdd:function(t){this._renderer=t.getRenderer(this)},onAdd:function(){this._renderer._initPath(this),this._reset(),this._renderer._addPath(this)},onRemove:function(){this._renderer._removePath(this)},redraw:function(){return this._map&&this._renderer._updatePath(this),this},setStyle:function(t){return $(this,t),this._renderer&&(this._renderer._updateStyle(this),this.options.stroke&&t&&Object.prototype.hasOwnProperty.call(t,"weight")&&this._updateBounds()),this},bringToFront:function(){return this._renderer&&this._renderer._bringToFront(this),this},bringToBack:function(){return this._renderer&&this._renderer._bringToBack(this),this},getElement:function(){return this._path},_reset:function(){this._project(),this._update()},_clickTolerance:function(){return(this.options.stroke?this.options.weight/2:0)+(this._renderer.options.tolerance||0)}}),Qe=qt.extend({options:{fill:!0,radius:10},initialize:function(t,e){$(this,e),this._latlng=B(t),this._radius=this.options.radius},setLatLng:function(t){var e=this._latlng;return this._latlng=B(t),this.redraw(),this.fire("move",{oldLatLng:e,latlng:this._latlng})},getLatLng:function(){return this._latlng},setRadius:function(t){return this.options.radius=this._radius=t,this.redraw()},getRadius:function(){return this._radius},setStyle:function(t){var e=t&&t.radius||this._radius;return qt.prototype.setStyle.call(this,t),this.setRadius(e),this},_project:function(){this._point=this._map.latLngToLayerPoint(this._latlng),this._updateBounds()},_updateBounds:function(){var t=this._radius,e=this._radiusY||t,i=this._clickTolerance(),n=[t+i,e+i];this._pxBounds=new F(this._point.subtract(n),this._point.add(n))},_update:function(){this._map&&this._updatePath()},_updatePath:function(){this._renderer._updateCircle(this)},_empty:function(){return this._radius&&!this._renderer._bounds.intersects(this._pxBounds)},_containsPoint:function(t){return t.distanceTo(this._point)<=this._radius+this._clickTolerance()}});function Ps(t,e){return new Qe(t,e)}var en=Qe.extend({initialize:function(t,e,i){if(typeof e=="number"&&(e=r({},i,{radius:e})),$(this,e),this._latlng=B(t),isNaN(this.options.radius))throw new Error("Circle radius cannot be NaN");this._mRadius=this.options.radius},setRadius:function(t){return this._mRadius=t,this.redraw()},getRadius:function(){return this._mRadius},getBounds:function(){var t=[this._radius,this._radiusY||this._radius];return new st(this._map.layerPointToLatLng(this._point.subtract(t)),this._map.layerPointToLatLng(this._point.add(t)))},setStyle:qt.prototype.setStyle,_project:function(){var t=this._latlng.lng,e=this._latlng.lat,i=this._map,n=i.options.crs;if(n.distance===Rt.distance){var o=Math.PI/180,h=this._mRadius/Rt.R/o,c=i.project([e+h,t]),p=i.project([e-h,t]),m=c.add(p).divideBy(2),g=i.unproject(m).lat,b=Math.acos((Math.cos(h*o)-Math.sin(e*o)*Math.sin(g*o))/(Math.cos(e*o)*Math.cos(g*o)))/o;(isNaN(b)||b===0)&&(b=h/Math.cos(Math.PI/180*e)),this._point=m.subtract(i.getPixelOrigin()),this._radius=isNaN(b)?0:m.x-i.project([g,t-b]).x,this._radiusY=m.y-c.y}else{var S=n.unproject(n.project(this._latlng).subtract([this._mRadius,0]));this._point=i.latLngToLayerPoint(this._latlng),this._radius=this._point.x-i.latLngToLayerPoint(S).x}this._updateBounds()}});function ks(t,e,i){return new en(t,e,i)}var Mt=qt.extend({options:{smoothFactor:1,noClip:!1},initialize:function(t,e){$(this,e),this._setLatLngs(t)},getLatLngs:function(){return this._latlngs},setLatLngs:function(t){return this._setLatLngs(t),this.redraw()},isEmpty:function(){return!this._latlngs.length},closestLayerPoint:function(t){for(var e=1/0,i=null,n=Ce,o,h,c=0,p=this._parts.length;c<p;c++)for(var m=this._parts[c],g=1,b=m.length;g<b;g++){o=m[g-1],h=m[g];var S=n(t,o,h,!0);S<e&&(e=S,i=n(t,o,h))}return i&&(i.distance=Math.sqrt(e)),i},getCenter:function(){if(!this._map)throw new Error("Must add layer to map before using getCenter()");return po(this._defaultShape(),this._map.options.crs)},getBounds:function(){return this._bounds},addLatLng:function(t,e){return e=e||this._defaultShape(),t=B(t),e.push(t),this._bounds.extend(t),this.redraw()},_setLatLngs:function(t){this._bounds=new st,this._latlngs=this._convertLatLngs(t)},_defaultShape:function(){return mt(this._latlngs)?this._latlngs:this._latlngs[0]},_convertLatLngs:function(t){for(var e=[],i=mt(t),n=0,o=t.length;n<o;n++)i?(e[n]=B(t[n]),this._bounds.extend(e[n])):e[n]=this._convertLatLngs(t[n]);return e},_project:function(){var t=new F;this._rings=[],this._projectLatlngs(this._latlngs,this._rings,t),this._bounds.isValid()&&t.isValid()&&(this._rawPxBounds=t,this._updateBounds())},_updateBounds:function(){var t=this._clickTolerance(),e=new z(t,t);this._rawPxBounds&&(this._pxBounds=new F([this._rawPxBounds.min.subtract(e),this._rawPxBounds.max.add(e)]))},_projectLatlngs:function(t,e,i){var n=t[0]instanceof q,o=t.length,h,c;if(n){for(c=[],h=0;h<o;h++)c[h]=this._map.latLngToLayerPoint(t[h]),i.extend(c[h]);e.push(c)}else for(h=0;h<o;h++)this._projectLatlngs(t[h],e,i)},_clipPoints:function(){var t=this._renderer._bounds;if(this._parts=[],!(!this._pxBounds||!this._pxBounds.intersects(t))){if(this.options.noClip){this._parts=this._rings;return}var e=this._parts,i,n,o,h,c,p,m;for(i=0,o=0,h=this._rings.length;i<h;i++)for(m=this._rings[i],n=0,c=m.length;n<c-1;n++)p=uo(m[n],m[n+1],t,n,!0),p&&(e[o]=e[o]||[],e[o].push(p[0]),(p[1]!==m[n+1]||n===c-2)&&(e[o].push(p[1]),o++))}},_simplifyPoints:function(){for(var t=this._parts,e=this.options.smoothFactor,i=0,n=t.length;i<n;i++)t[i]=lo(t[i],e)},_update:function(){this._map&&(this._clipPoints(),this._simplifyPoints(),this._updatePath())},_updatePath:function(){this._renderer._updatePoly(this)},_containsPoint:function(t,e){var i,n,o,h,c,p,m=this._clickTolerance();if(!this._pxBounds||!this._pxBounds.contains(t))return!1;for(i=0,h=this._parts.length;i<h;i++)for(p=this._parts[i],n=0,c=p.length,o=c-1;n<c;o=n++)if(!(!e&&n===0)&&ho(t,p[o],p[n])<=m)return!0;return!1}});function Ls(t,e){return new Mt(t,e)}Mt._flat=fo;var de=Mt.extend({options:{fill:!0},isEmpty:function(){return!this._latlngs.length||!this._latlngs[0].length},getCenter:function(){if(!this._map)throw new Error("Must add layer to map before using getCenter()");return ao(this._defaultShape(),this._map.options.crs)},_convertLatLngs:function(t){var e=Mt.prototype._convertLatLngs.call(this,t),i=e.length;return i>=2&&e[0]instanceof q&&e[0].equals(e[i-1])&&e.pop(),e},_setLatLngs:function(t){Mt.prototype._setLatLngs.call(this,t),mt(this._latlngs)&&(this._latlngs=[this._latlngs])},_defaultShape:function(){return mt(this._latlngs[0])?this._latlngs[0]:this._latlngs[0][0]},_clipPoints:function(){var t=this._renderer._bounds,e=this.options.weight,i=new z(e,e);if(t=new F(t.min.subtract(i),t.max.add(i)),this._parts=[],!(!this._pxBounds||!this._pxBounds.intersects(t))){if(this.options.noClip){this._parts=this._rings;return}for(var n=0,o=this._rings.length,h;n<o;n++)h=so(this._rings[n],t,!0),h.length&&this._parts.push(h)}},_updatePath:function(){this._renderer._updatePoly(this,!0)},_containsPoint:function(t){var e=!1,i,n,o,h,c,p,m,g;if(!this._pxBounds||!this._pxBounds.contains(t))return!1;for(h=0,m=this._parts.length;h<m;h++)for(i=this._parts[h],c=0,g=i.length,p=g-1;c<g;p=c++)n=i[c],o=i[p],n.y>t.y!=o.y>t.y&&t.x<(o.x-n.x)*(t.y-n.y)/(o.y-n.y)+n.x&&(e=!e);return e||Mt.prototype._containsPoint.call(this,t,!0)}});function Ts(t,e){return new de(t,e)}var Ot=At.extend({initialize:function(t,e){$(this,e),this._layers={},t&&this.addData(t)},addData:function(t){var e=ut(t)?t:t.features,i,n,o;if(e){for(i=0,n=e.length;i<n;i++)o=e[i],(o.geometries||o.geometry||o.features||o.coordinates)&&this.addData(o);return this}var h=this.options;if(h.filter&&!h.filter(t))return this;var c=ti(t,h);return c?(c.feature=ni(t),c.defaultOptions=c.options,this.resetStyle(c),h.onEachFeature&&h.onEachFeature(t,c),this.addLayer(c)):this},resetStyle:function(t){return t===void 0?this.eachLayer(this.resetStyle,this):(t.options=r({},t.defaultOptions),this._setLayerStyle(t,this.options.style),this)},setStyle:function(t){return this.eachLayer(function(e){this._setLayerStyle(e,t)},this)},_setLayerStyle:function(t,e){t.setStyle&&(typeof e=="function"&&(e=e(t.feature)),t.setStyle(e))}});function ti(t,e){var i=t.type==="Feature"?t.geometry:t,n=i?i.coordinates:null,o=[],h=e&&e.pointToLayer,c=e&&e.coordsToLatLng||nn,p,m,g,b;if(!n&&!i)return null;switch(i.type){case"Point":return p=c(n),go(h,t,p,e);case"MultiPoint":for(g=0,b=n.length;g<b;g++)p=c(n[g]),o.push(go(h,t,p,e));return new At(o);case"LineString":case"MultiLineString":return m=ei(n,i.type==="LineString"?0:1,c),new Mt(m,e);case"Polygon":case"MultiPolygon":return m=ei(n,i.type==="Polygon"?1:2,c),new de(m,e);case"GeometryCollection":for(g=0,b=i.geometries.length;g<b;g++){var S=ti({geometry:i.geometries[g],type:"Feature",properties:t.properties},e);S&&o.push(S)}return new At(o);case"FeatureCollection":for(g=0,b=i.features.length;g<b;g++){var I=ti(i.features[g],e);I&&o.push(I)}return new At(o);default:throw new Error("Invalid GeoJSON object.")}}function go(t,e,i,n){return t?t(e,i):new Xe(i,n&&n.markersInheritOptions&&n)}function nn(t){return new q(t[1],t[0],t[2])}function ei(t,e,i){for(var n=[],o=0,h=t.length,c;o<h;o++)c=e?ei(t[o],e-1,i):(i||nn)(t[o]),n.push(c);return n}function on(t,e){return t=B(t),t.alt!==void 0?[Z(t.lng,e),Z(t.lat,e),Z(t.alt,e)]:[Z(t.lng,e),Z(t.lat,e)]}function ii(t,e,i,n){for(var o=[],h=0,c=t.length;h<c;h++)o.push(e?ii(t[h],mt(t[h])?0:e-1,i,n):on(t[h],n));return!e&&i&&o.length>0&&o.push(o[0].slice()),o}function ce(t,e){return t.feature?r({},t.feature,{geometry:e}):ni(e)}function ni(t){return t.type==="Feature"||t.type==="FeatureCollection"?t:{type:"Feature",properties:{},geometry:t}}var rn={toGeoJSON:function(t){return ce(this,{type:"Point",coordinates:on(this.getLatLng(),t)})}};Xe.include(rn),en.include(rn),Qe.include(rn),Mt.include({toGeoJSON:function(t){var e=!mt(this._latlngs),i=ii(this._latlngs,e?1:0,!1,t);return ce(this,{type:(e?"Multi":"")+"LineString",coordinates:i})}}),de.include({toGeoJSON:function(t){var e=!mt(this._latlngs),i=e&&!mt(this._latlngs[0]),n=ii(this._latlngs,i?2:e?1:0,!0,t);return e||(n=[n]),ce(this,{type:(i?"Multi":"")+"Polygon",coordinates:n})}}),le.include({toMultiPoint:function(t){var e=[];return this.eachLayer(function(i){e.push(i.toGeoJSON(t).geometry.coordinates)}),ce(this,{type:"MultiPoint",coordinates:e})},toGeoJSON:function(t){var e=this.feature&&this.feature.geometry&&this.feature.geometry.type;if(e==="MultiPoint")return this.toMultiPoint(t);var i=e==="GeometryCollection",n=[];return this.eachLayer(function(o){if(o.toGeoJSON){var h=o.toGeoJSON(t);if(i)n.push(h.geometry);else{var c=ni(h);c.type==="FeatureCollection"?n.push.apply(n,c.features):n.push(c)}}}),i?ce(this,{geometries:n,type:"GeometryCollection"}):{type:"FeatureCollection",features:n}}});function vo(t,e){return new Ot(t,e)}var $s=vo,oi=bt.extend({options:{opacity:1,alt:"",interactive:!1,crossOrigin:!1,errorOverlayUrl:"",zIndex:1,className:""},initialize:function(t,e,i){this._url=t,this._bounds=G(e),$(this,i)},onAdd:function(){this._image||(this._initImage(),this.options.opacity<1&&this._updateOpacity()),this.options.interactive&&(O(this._image,"leaflet-interactive"),this.addInteractiveTarget(this._image)),this.getPane().appendChild(this._image),this._reset()},onRemove:function(){W(this._image),this.options.interactive&&this.removeInteractiveTarget(this._image)},setOpacity:function(t){return this.options.opacity=t,this._image&&this._updateOpacity(),this},setStyle:function(t){return t.opacity&&this.setOpacity(t.opacity),this},bringToFront:function(){return this._map&&se(this._image),this},bringToBack:function(){return this._map&&ae(this._image),this},setUrl:function(t){return this._url=t,this._image&&(this._image.src=t),this},setBounds:function(t){return this._bounds=G(t),this._map&&this._reset(),this},getEvents:function(){var t={zoom:this._reset,viewreset:this._reset};return this._zoomAnimated&&(t.zoomanim=this._animateZoom),t},setZIndex:function(t){return this.options.zIndex=t,this._updateZIndex(),this},getBounds:function(){return this._bounds},getElement:function(){return this._image},_initImage:function(){var t=this._url.tagName==="IMG",e=this._image=t?this._url:R("img");if(O(e,"leaflet-image-layer"),this._zoomAnimated&&O(e,"leaflet-zoom-animated"),this.options.className&&O(e,this.options.className),e.onselectstart=P,e.onmousemove=P,e.onload=s(this.fire,this,"load"),e.onerror=s(this._overlayOnError,this,"error"),(this.options.crossOrigin||this.options.crossOrigin==="")&&(e.crossOrigin=this.options.crossOrigin===!0?"":this.options.crossOrigin),this.options.zIndex&&this._updateZIndex(),t){this._url=e.src;return}e.src=this._url,e.alt=this.options.alt},_animateZoom:function(t){var e=this._map.getZoomScale(t.zoom),i=this._map._latLngBoundsToNewLayerBounds(this._bounds,t.zoom,t.center).min;Wt(this._image,i,e)},_reset:function(){var t=this._image,e=new F(this._map.latLngToLayerPoint(this._bounds.getNorthWest()),this._map.latLngToLayerPoint(this._bounds.getSouthEast())),i=e.getSize();V(t,e.min),t.style.width=i.x+"px",t.style.height=i.y+"px"},_updateOpacity:function(){pt(this._image,this.options.opacity)},_updateZIndex:function(){this._image&&this.options.zIndex!==void 0&&this.options.zIndex!==null&&(this._image.style.zIndex=this.options.zIndex)},_overlayOnError:function(){this.fire("error");var t=this.options.errorOverlayUrl;t&&this._url!==t&&(this._url=t,this._image.src=t)},getCenter:function(){return this._bounds.getCenter()}}),Ss=function(t,e,i){return new oi(t,e,i)},yo=oi.extend({options:{autoplay:!0,loop:!0,keepAspectRatio:!0,muted:!1,playsInline:!0},_initImage:function(){var t=this._url.tagName==="VIDEO",e=this._image=t?this._url:R("video");if(O(e,"leaflet-image-layer"),this._zoomAnimated&&O(e,"leaflet-zoom-animated"),this.options.className&&O(e,this.options.className),e.onselectstart=P,e.onmousemove=P,e.onloadeddata=s(this.fire,this,"load"),t){for(var i=e.getElementsByTagName("source"),n=[],o=0;o<i.length;o++)n.push(i[o].src);this._url=i.length>0?n:[e.src];return}ut(this._url)||(this._url=[this._url]),!this.options.keepAspectRatio&&Object.prototype.hasOwnProperty.call(e.style,"objectFit")&&(e.style.objectFit="fill"),e.autoplay=!!this.options.autoplay,e.loop=!!this.options.loop,e.muted=!!this.options.muted,e.playsInline=!!this.options.playsInline;for(var h=0;h<this._url.length;h++){var c=R("source");c.src=this._url[h],e.appendChild(c)}}});function Es(t,e,i){return new yo(t,e,i)}var bo=oi.extend({_initImage:function(){var t=this._image=this._url;O(t,"leaflet-image-layer"),this._zoomAnimated&&O(t,"leaflet-zoom-animated"),this.options.className&&O(t,this.options.className),t.onselectstart=P,t.onmousemove=P}});function Cs(t,e,i){return new bo(t,e,i)}var St=bt.extend({options:{interactive:!1,offset:[0,0],className:"",pane:void 0,content:""},initialize:function(t,e){t&&(t instanceof q||ut(t))?(this._latlng=B(t),$(this,e)):($(this,t),this._source=e),this.options.content&&(this._content=this.options.content)},openOn:function(t){return t=arguments.length?t:this._source._map,t.hasLayer(this)||t.addLayer(this),this},close:function(){return this._map&&this._map.removeLayer(this),this},toggle:function(t){return this._map?this.close():(arguments.length?this._source=t:t=this._source,this._prepareOpen(),this.openOn(t._map)),this},onAdd:function(t){this._zoomAnimated=t._zoomAnimated,this._container||this._initLayout(),t._fadeAnimated&&pt(this._container,0),clearTimeout(this._removeTimeout),this.getPane().appendChild(this._container),this.update(),t._fadeAnimated&&pt(this._container,1),this.bringToFront(),this.options.interactive&&(O(this._container,"leaflet-interactive"),this.addInteractiveTarget(this._container))},onRemove:function(t){t._fadeAnimated?(pt(this._container,0),this._removeTimeout=setTimeout(s(W,void 0,this._container),200)):W(this._container),this.options.interactive&&(j(this._container,"leaflet-interactive"),this.removeInteractiveTarget(this._container))},getLatLng:function(){return this._latlng},setLatLng:function(t){return this._latlng=B(t),this._map&&(this._updatePosition(),this._adjustPan()),this},getContent:function(){return this._content},setContent:function(t){return this._content=t,this.update(),this},getElement:function(){return this._container},update:function(){this._map&&(this._container.style.visibility="hidden",this._updateContent(),this._updateLayout(),this._updatePosition(),this._container.style.visibility="",this._adjustPan())},getEvents:function(){var t={zoom:this._updatePosition,viewreset:this._updatePosition};return this._zoomAnimated&&(t.zoomanim=this._animateZoom),t},isOpen:function(){return!!this._map&&this._map.hasLayer(this)},bringToFront:function(){return this._map&&se(this._container),this},bringToBack:function(){return this._map&&ae(this._container),this},_prepareOpen:function(t){var e=this._source;if(!e._map)return!1;if(e instanceof At){e=null;var i=this._source._layers;for(var n in i)if(i[n]._map){e=i[n];break}if(!e)return!1;this._source=e}if(!t)if(e.getCenter)t=e.getCenter();else if(e.getLatLng)t=e.getLatLng();else if(e.getBounds)t=e.getBounds().getCenter();else throw new Error("Unable to get source layer LatLng.");return this.setLatLng(t),this._map&&this.update(),!0},_updateContent:function(){if(this._content){var t=this._contentNode,e=typeof this._content=="function"?this._content(this._source||this):this._content;if(typeof e=="string")t.innerHTML=e;else{for(;t.hasChildNodes();)t.removeChild(t.firstChild);t.appendChild(e)}this.fire("contentupdate")}},_updatePosition:function(){if(this._map){var t=this._map.latLngToLayerPoint(this._latlng),e=E(this.options.offset),i=this._getAnchor();this._zoomAnimated?V(this._container,t.add(i)):e=e.add(t).add(i);var n=this._containerBottom=-e.y,o=this._containerLeft=-Math.round(this._containerWidth/2)+e.x;this._container.style.bottom=n+"px",this._container.style.left=o+"px"}},_getAnchor:function(){return[0,0]}});D.include({_initOverlay:function(t,e,i,n){var o=e;return o instanceof t||(o=new t(n).setContent(e)),i&&o.setLatLng(i),o}}),bt.include({_initOverlay:function(t,e,i,n){var o=i;return o instanceof t?($(o,n),o._source=this):(o=e&&!n?e:new t(n,this),o.setContent(i)),o}});var ri=St.extend({options:{pane:"popupPane",offset:[0,7],maxWidth:300,minWidth:50,maxHeight:null,autoPan:!0,autoPanPaddingTopLeft:null,autoPanPaddingBottomRight:null,autoPanPadding:[5,5],keepInView:!1,closeButton:!0,autoClose:!0,closeOnEscapeKey:!0,className:""},openOn:function(t){return t=arguments.length?t:this._source._map,!t.hasLayer(this)&&t._popup&&t._popup.options.autoClose&&t.removeLayer(t._popup),t._popup=this,St.prototype.openOn.call(this,t)},onAdd:function(t){St.prototype.onAdd.call(this,t),t.fire("popupopen",{popup:this}),this._source&&(this._source.fire("popupopen",{popup:this},!0),this._source instanceof qt||this._source.on("preclick",jt))},onRemove:function(t){St.prototype.onRemove.call(this,t),t.fire("popupclose",{popup:this}),this._source&&(this._source.fire("popupclose",{popup:this},!0),this._source instanceof qt||this._source.off("preclick",jt))},getEvents:function(){var t=St.prototype.getEvents.call(this);return(this.options.closeOnClick!==void 0?this.options.closeOnClick:this._map.options.closePopupOnClick)&&(t.preclick=this.close),this.options.keepInView&&(t.moveend=this._adjustPan),t},_initLayout:function(){var t="leaflet-popup",e=this._container=R("div",t+" "+(this.options.className||"")+" leaflet-zoom-animated"),i=this._wrapper=R("div",t+"-content-wrapper",e);if(this._contentNode=R("div",t+"-content",i),Se(e),Gi(this._contentNode),A(e,"contextmenu",jt),this._tipContainer=R("div",t+"-tip-container",e),this._tip=R("div",t+"-tip",this._tipContainer),this.options.closeButton){var n=this._closeButton=R("a",t+"-close-button",e);n.setAttribute("role","button"),n.setAttribute("aria-label","Close popup"),n.href="#close",n.innerHTML='<span aria-hidden="true">&#215;</span>',A(n,"click",function(o){Q(o),this.close()},this)}},_updateLayout:function(){var t=this._contentNode,e=t.style;e.width="",e.whiteSpace="nowrap";var i=t.offsetWidth;i=Math.min(i,this.options.maxWidth),i=Math.max(i,this.options.minWidth),e.width=i+1+"px",e.whiteSpace="",e.height="";var n=t.offsetHeight,o=this.options.maxHeight,h="leaflet-popup-scrolled";o&&n>o?(e.height=o+"px",O(t,h)):j(t,h),this._containerWidth=this._container.offsetWidth},_animateZoom:function(t){var e=this._map._latLngToNewLayerPoint(this._latlng,t.zoom,t.center),i=this._getAnchor();V(this._container,e.add(i))},_adjustPan:function(){if(this.options.autoPan){if(this._map._panAnim&&this._map._panAnim.stop(),this._autopanning){this._autopanning=!1;return}var t=this._map,e=parseInt(ke(this._container,"marginBottom"),10)||0,i=this._container.offsetHeight+e,n=this._containerWidth,o=new z(this._containerLeft,-i-this._containerBottom);o._add(Ut(this._container));var h=t.layerPointToContainerPoint(o),c=E(this.options.autoPanPadding),p=E(this.options.autoPanPaddingTopLeft||c),m=E(this.options.autoPanPaddingBottomRight||c),g=t.getSize(),b=0,S=0;h.x+n+m.x>g.x&&(b=h.x+n-g.x+m.x),h.x-b-p.x<0&&(b=h.x-p.x),h.y+i+m.y>g.y&&(S=h.y+i-g.y+m.y),h.y-S-p.y<0&&(S=h.y-p.y),(b||S)&&(this.options.keepInView&&(this._autopanning=!0),t.fire("autopanstart").panBy([b,S]))}},_getAnchor:function(){return E(this._source&&this._source._getPopupAnchor?this._source._getPopupAnchor():[0,0])}}),zs=function(t,e){return new ri(t,e)};D.mergeOptions({closePopupOnClick:!0}),D.include({openPopup:function(t,e,i){return this._initOverlay(ri,t,e,i).openOn(this),this},closePopup:function(t){return t=arguments.length?t:this._popup,t&&t.close(),this}}),bt.include({bindPopup:function(t,e){return this._popup=this._initOverlay(ri,this._popup,t,e),this._popupHandlersAdded||(this.on({click:this._openPopup,keypress:this._onKeyPress,remove:this.closePopup,move:this._movePopup}),this._popupHandlersAdded=!0),this},unbindPopup:function(){return this._popup&&(this.off({click:this._openPopup,keypress:this._onKeyPress,remove:this.closePopup,move:this._movePopup}),this._popupHandlersAdded=!1,this._popup=null),this},openPopup:function(t){return this._popup&&(this instanceof At||(this._popup._source=this),this._popup._prepareOpen(t||this._latlng)&&this._popup.openOn(this._map)),this},closePopup:function(){return this._popup&&this._popup.close(),this},togglePopup:function(){return this._popup&&this._popup.toggle(this),this},isPopupOpen:function(){return this._popup?this._popup.isOpen():!1},setPopupContent:function(t){return this._popup&&this._popup.setContent(t),this},getPopup:function(){return this._popup},_openPopup:function(t){if(!(!this._popup||!this._map)){Gt(t);var e=t.layer||t.target;if(this._popup._source===e&&!(e instanceof qt)){this._map.hasLayer(this._popup)?this.closePopup():this.openPopup(t.latlng);return}this._popup._source=e,this.openPopup(t.latlng)}},_movePopup:function(t){this._popup.setLatLng(t.latlng)},_onKeyPress:function(t){t.originalEvent.keyCode===13&&this._openPopup(t)}});var si=St.extend({options:{pane:"tooltipPane",offset:[0,0],direction:"auto",permanent:!1,sticky:!1,opacity:.9},onAdd:function(t){St.prototype.onAdd.call(this,t),this.setOpacity(this.options.opacity),t.fire("tooltipopen",{tooltip:this}),this._source&&(this.addEventParent(this._source),this._source.fire("tooltipopen",{tooltip:this},!0))},onRemove:function(t){St.prototype.onRemove.call(this,t),t.fire("tooltipclose",{tooltip:this}),this._source&&(this.removeEventParent(this._source),this._source.fire("tooltipclose",{tooltip:this},!0))},getEvents:function(){var t=St.prototype.getEvents.call(this);return this.options.permanent||(t.preclick=this.close),t},_initLayout:function(){var t="leaflet-tooltip",e=t+" "+(this.options.className||"")+" leaflet-zoom-"+(this._zoomAnimated?"animated":"hide");this._contentNode=this._container=R("div",e),this._container.setAttribute("role","tooltip"),this._container.setAttribute("id","leaflet-tooltip-"+f(this))},_updateLayout:function(){},_adjustPan:function(){},_setPosition:function(t){var e,i,n=this._map,o=this._container,h=n.latLngToContainerPoint(n.getCenter()),c=n.layerPointToContainerPoint(t),p=this.options.direction,m=o.offsetWidth,g=o.offsetHeight,b=E(this.options.offset),S=this._getAnchor();p==="top"?(e=m/2,i=g):p==="bottom"?(e=m/2,i=0):p==="center"?(e=m/2,i=g/2):p==="right"?(e=0,i=g/2):p==="left"?(e=m,i=g/2):c.x<h.x?(p="right",e=0,i=g/2):(p="left",e=m+(b.x+S.x)*2,i=g/2),t=t.subtract(E(e,i,!0)).add(b).add(S),j(o,"leaflet-tooltip-right"),j(o,"leaflet-tooltip-left"),j(o,"leaflet-tooltip-top"),j(o,"leaflet-tooltip-bottom"),O(o,"leaflet-tooltip-"+p),V(o,t)},_updatePosition:function(){var t=this._map.latLngToLayerPoint(this._latlng);this._setPosition(t)},setOpacity:function(t){this.options.opacity=t,this._container&&pt(this._container,t)},_animateZoom:function(t){var e=this._map._latLngToNewLayerPoint(this._latlng,t.zoom,t.center);this._setPosition(e)},_getAnchor:function(){return E(this._source&&this._source._getTooltipAnchor&&!this.options.sticky?this._source._getTooltipAnchor():[0,0])}}),As=function(t,e){return new si(t,e)};D.include({openTooltip:function(t,e,i){return this._initOverlay(si,t,e,i).openOn(this),this},closeTooltip:function(t){return t.close(),this}}),bt.include({bindTooltip:function(t,e){return this._tooltip&&this.isTooltipOpen()&&this.unbindTooltip(),this._tooltip=this._initOverlay(si,this._tooltip,t,e),this._initTooltipInteractions(),this._tooltip.options.permanent&&this._map&&this._map.hasLayer(this)&&this.openTooltip(),this},unbindTooltip:function(){return this._tooltip&&(this._initTooltipInteractions(!0),this.closeTooltip(),this._tooltip=null),this},_initTooltipInteractions:function(t){if(!(!t&&this._tooltipHandlersAdded)){var e=t?"off":"on",i={remove:this.closeTooltip,move:this._moveTooltip};this._tooltip.options.permanent?i.add=this._openTooltip:(i.mouseover=this._openTooltip,i.mouseout=this.closeTooltip,i.click=this._openTooltip,this._map?this._addFocusListeners():i.add=this._addFocusListeners),this._tooltip.options.sticky&&(i.mousemove=this._moveTooltip),this[e](i),this._tooltipHandlersAdded=!t}},openTooltip:function(t){return this._tooltip&&(this instanceof At||(this._tooltip._source=this),this._tooltip._prepareOpen(t)&&(this._tooltip.openOn(this._map),this.getElement?this._setAriaDescribedByOnLayer(this):this.eachLayer&&this.eachLayer(this._setAriaDescribedByOnLayer,this))),this},closeTooltip:function(){if(this._tooltip)return this._tooltip.close()},toggleTooltip:function(){return this._tooltip&&this._tooltip.toggle(this),this},isTooltipOpen:function(){return this._tooltip.isOpen()},setTooltipContent:function(t){return this._tooltip&&this._tooltip.setContent(t),this},getTooltip:function(){return this._tooltip},_addFocusListeners:function(){this.getElement?this._addFocusListenersOnLayer(this):this.eachLayer&&this.eachLayer(this._addFocusListenersOnLayer,this)},_addFocusListenersOnLayer:function(t){var e=typeof t.getElement=="function"&&t.getElement();e&&(A(e,"focus",function(){this._tooltip._source=t,this.openTooltip()},this),A(e,"blur",this.closeTooltip,this))},_setAriaDescribedByOnLayer:function(t){var e=typeof t.getElement=="function"&&t.getElement();e&&e.setAttribute("aria-describedby",this._tooltip._container.id)},_openTooltip:function(t){if(!(!this._tooltip||!this._map)){if(this._map.dragging&&this._map.dragging.moving()&&!this._openOnceFlag){this._openOnceFlag=!0;var e=this;this._map.once("moveend",function(){e._openOnceFlag=!1,e._openTooltip(t)});return}this._tooltip._source=t.layer||t.target,this.openTooltip(this._tooltip.options.sticky?t.latlng:void 0)}},_moveTooltip:function(t){var e=t.latlng,i,n;this._tooltip.options.sticky&&t.originalEvent&&(i=this._map.mouseEventToContainerPoint(t.originalEvent),n=this._map.containerPointToLayerPoint(i),e=this._map.layerPointToLatLng(n)),this._tooltip.setLatLng(e)}});var wo=he.extend({options:{iconSize:[12,12],html:!1,bgPos:null,className:"leaflet-div-icon"},createIcon:function(t){var e=t&&t.tagName==="DIV"?t:document.createElement("div"),i=this.options;if(i.html instanceof Element?(je(e),e.appendChild(i.html)):e.innerHTML=i.html!==!1?i.html:"",i.bgPos){var n=E(i.bgPos);e.style.backgroundPosition=-n.x+"px "+-n.y+"px"}return this._setIconStyles(e,"icon"),e},createShadow:function(){return null}});function Ms(t){return new wo(t)}he.Default=ze;var Ae=bt.extend({options:{tileSize:256,opacity:1,updateWhenIdle:k.mobile,updateWhenZooming:!0,updateInterval:200,zIndex:1,bounds:null,minZoom:0,maxZoom:void 0,maxNativeZoom:void 0,minNativeZoom:void 0,noWrap:!1,pane:"tilePane",className:"",keepBuffer:2},initialize:function(t){$(this,t)},onAdd:function(){this._initContainer(),this._levels={},this._tiles={},this._resetView()},beforeAdd:function(t){t._addZoomLimit(this)},onRemove:function(t){this._removeAllTiles(),W(this._container),t._removeZoomLimit(this),this._container=null,this._tileZoom=void 0},bringToFront:function(){return this._map&&(se(this._container),this._setAutoZIndex(Math.max)),this},bringToBack:function(){return this._map&&(ae(this._container),this._setAutoZIndex(Math.min)),this},getContainer:function(){return this._container},setOpacity:function(t){return this.options.opacity=t,this._updateOpacity(),this},setZIndex:function(t){return this.options.zIndex=t,this._updateZIndex(),this},isLoading:function(){return this._loading},redraw:function(){if(this._map){this._removeAllTiles();var t=this._clampZoom(this._map.getZoom());t!==this._tileZoom&&(this._tileZoom=t,this._updateLevels()),this._update()}return this},getEvents:function(){var t={viewprereset:this._invalidateAll,viewreset:this._resetView,zoom:this._resetView,moveend:this._onMoveEnd};return this.options.updateWhenIdle||(this._onMove||(this._onMove=v(this._onMoveEnd,this.options.updateInterval,this)),t.move=this._onMove),this._zoomAnimated&&(t.zoomanim=this._animateZoom),t},createTile:function(){return document.createElement("div")},getTileSize:function(){var t=this.options.tileSize;return t instanceof z?t:new z(t,t)},_updateZIndex:function(){this._container&&this.options.zIndex!==void 0&&this.options.zIndex!==null&&(this._container.style.zIndex=this.options.zIndex)},_setAutoZIndex:function(t){for(var e=this.getPane().children,i=-t(-1/0,1/0),n=0,o=e.length,h;n<o;n++)h=e[n].style.zIndex,e[n]!==this._container&&h&&(i=t(i,+h));isFinite(i)&&(this.options.zIndex=i+t(-1,1),this._updateZIndex())},_updateOpacity:function(){if(this._map&&!k.ielt9){pt(this._container,this.options.opacity);var t=+new Date,e=!1,i=!1;for(var n in this._tiles){var o=this._tiles[n];if(!(!o.current||!o.loaded)){var h=Math.min(1,(t-o.loaded)/200);pt(o.el,h),h<1?e=!0:(o.active?i=!0:this._onOpaqueTile(o),o.active=!0)}}i&&!this._noPrune&&this._pruneTiles(),e&&(ft(this._fadeFrame),this._fadeFrame=ot(this._updateOpacity,this))}},_onOpaqueTile:P,_initContainer:function(){this._container||(this._container=R("div","leaflet-layer "+(this.options.className||"")),this._updateZIndex(),this.options.opacity<1&&this._updateOpacity(),this.getPane().appendChild(this._container))},_updateLevels:function(){var t=this._tileZoom,e=this.options.maxZoom;if(t!==void 0){for(var i in this._levels)i=Number(i),this._levels[i].el.children.length||i===t?(this._levels[i].el.style.zIndex=e-Math.abs(t-i),this._onUpdateLevel(i)):(W(this._levels[i].el),this._removeTilesAtZoom(i),this._onRemoveLevel(i),delete this._levels[i]);var n=this._levels[t],o=this._map;return n||(n=this._levels[t]={},n.el=R("div","leaflet-tile-container leaflet-zoom-animated",this._container),n.el.style.zIndex=e,n.origin=o.project(o.unproject(o.getPixelOrigin()),t).round(),n.zoom=t,this._setZoomTransform(n,o.getCenter(),o.getZoom()),P(n.el.offsetWidth),this._onCreateLevel(n)),this._level=n,n}},_onUpdateLevel:P,_onRemoveLevel:P,_onCreateLevel:P,_pruneTiles:function(){if(this._map){var t,e,i=this._map.getZoom();if(i>this.options.maxZoom||i<this.options.minZoom){this._removeAllTiles();return}for(t in this._tiles)e=this._tiles[t],e.retain=e.current;for(t in this._tiles)if(e=this._tiles[t],e.current&&!e.active){var n=e.coords;this._retainParent(n.x,n.y,n.z,n.z-5)||this._retainChildren(n.x,n.y,n.z,n.z+2)}for(t in this._tiles)this._tiles[t].retain||this._removeTile(t)}},_removeTilesAtZoom:function(t){for(var e in this._tiles)this._tiles[e].coords.z===t&&this._removeTile(e)},_removeAllTiles:function(){for(var t in this._tiles)this._removeTile(t)},_invalidateAll:function(){for(var t in this._levels)W(this._levels[t].el),this._onRemoveLevel(Number(t)),delete this._levels[t];this._removeAllTiles(),this._tileZoom=void 0},_retainParent:function(t,e,i,n){var o=Math.floor(t/2),h=Math.floor(e/2),c=i-1,p=new z(+o,+h);p.z=+c;var m=this._tileCoordsToKey(p),g=this._tiles[m];return g&&g.active?(g.retain=!0,!0):(g&&g.loaded&&(g.retain=!0),c>n?this._retainParent(o,h,c,n):!1)},_retainChildren:function(t,e,i,n){for(var o=2*t;o<2*t+2;o++)for(var h=2*e;h<2*e+2;h++){var c=new z(o,h);c.z=i+1;var p=this._tileCoordsToKey(c),m=this._tiles[p];if(m&&m.active){m.retain=!0;continue}else m&&m.loaded&&(m.retain=!0);i+1<n&&this._retainChildren(o,h,i+1,n)}},_resetView:function(t){var e=t&&(t.pinch||t.flyTo);this._setView(this._map.getCenter(),this._map.getZoom(),e,e)},_animateZoom:function(t){this._setView(t.center,t.zoom,!0,t.noUpdate)},_clampZoom:function(t){var e=this.options;return e.minNativeZoom!==void 0&&t<e.minNativeZoom?e.minNativeZoom:e.maxNativeZoom!==void 0&&e.maxNativeZoom<t?e.maxNativeZoom:t},_setView:function(t,e,i,n){var o=Math.round(e);this.options.maxZoom!==void 0&&o>this.options.maxZoom||this.options.minZoom!==void 0&&o<this.options.minZoom?o=void 0:o=this._clampZoom(o);var h=this.options.updateWhenZooming&&o!==this._tileZoom;(!n||h)&&(this._tileZoom=o,this._abortLoading&&this._abortLoading(),this._updateLevels(),this._resetGrid(),o!==void 0&&this._update(t),i||this._pruneTiles(),this._noPrune=!!i),this._setZoomTransforms(t,e)},_setZoomTransforms:function(t,e){for(var i in this._levels)this._setZoomTransform(this._levels[i],t,e)},_setZoomTransform:function(t,e,i){var n=this._map.getZoomScale(i,t.zoom),o=t.origin.multiplyBy(n).subtract(this._map._getNewPixelOrigin(e,i)).round();k.any3d?Wt(t.el,o,n):V(t.el,o)},_resetGrid:function(){var t=this._map,e=t.options.crs,i=this._tileSize=this.getTileSize(),n=this._tileZoom,o=this._map.getPixelWorldBounds(this._tileZoom);o&&(this._globalTileRange=this._pxBoundsToTileRange(o)),this._wrapX=e.wrapLng&&!this.options.noWrap&&[Math.floor(t.project([0,e.wrapLng[0]],n).x/i.x),Math.ceil(t.project([0,e.wrapLng[1]],n).x/i.y)],this._wrapY=e.wrapLat&&!this.options.noWrap&&[Math.floor(t.project([e.wrapLat[0],0],n).y/i.x),Math.ceil(t.project([e.wrapLat[1],0],n).y/i.y)]},_onMoveEnd:function(){!this._map||this._map._animatingZoom||this._update()},_getTiledPixelBounds:function(t){var e=this._map,i=e._animatingZoom?Math.max(e._animateToZoom,e.getZoom()):e.getZoom(),n=e.getZoomScale(i,this._tileZoom),o=e.project(t,this._tileZoom).floor(),h=e.getSize().divideBy(n*2);return new F(o.subtract(h),o.add(h))},_update:function(t){var e=this._map;if(e){var i=this._clampZoom(e.getZoom());if(t===void 0&&(t=e.getCenter()),this._tileZoom!==void 0){var n=this._getTiledPixelBounds(t),o=this._pxBoundsToTileRange(n),h=o.getCenter(),c=[],p=this.options.keepBuffer,m=new F(o.getBottomLeft().subtract([p,-p]),o.getTopRight().add([p,-p]));if(!(isFinite(o.min.x)&&isFinite(o.min.y)&&isFinite(o.max.x)&&isFinite(o.max.y)))throw new Error("Attempted to load an infinite number of tiles");for(var g in this._tiles){var b=this._tiles[g].coords;(b.z!==this._tileZoom||!m.contains(new z(b.x,b.y)))&&(this._tiles[g].current=!1)}if(Math.abs(i-this._tileZoom)>1){this._setView(t,i);return}for(var S=o.min.y;S<=o.max.y;S++)for(var I=o.min.x;I<=o.max.x;I++){var et=new z(I,S);if(et.z=this._tileZoom,!!this._isValidTile(et)){var J=this._tiles[this._tileCoordsToKey(et)];J?J.current=!0:c.push(et)}}if(c.sort(function(at,fe){return at.distanceTo(h)-fe.distanceTo(h)}),c.length!==0){this._loading||(this._loading=!0,this.fire("loading"));var _t=document.createDocumentFragment();for(I=0;I<c.length;I++)this._addTile(c[I],_t);this._level.el.appendChild(_t)}}}},_isValidTile:function(t){var e=this._map.options.crs;if(!e.infinite){var i=this._globalTileRange;if(!e.wrapLng&&(t.x<i.min.x||t.x>i.max.x)||!e.wrapLat&&(t.y<i.min.y||t.y>i.max.y))return!1}if(!this.options.bounds)return!0;var n=this._tileCoordsToBounds(t);return G(this.options.bounds).overlaps(n)},_keyToBounds:function(t){return this._tileCoordsToBounds(this._keyToTileCoords(t))},_tileCoordsToNwSe:function(t){var e=this._map,i=this.getTileSize(),n=t.scaleBy(i),o=n.add(i),h=e.unproject(n,t.z),c=e.unproject(o,t.z);return[h,c]},_tileCoordsToBounds:function(t){var e=this._tileCoordsToNwSe(t),i=new st(e[0],e[1]);return this.options.noWrap||(i=this._map.wrapLatLngBounds(i)),i},_tileCoordsToKey:function(t){return t.x+":"+t.y+":"+t.z},_keyToTileCoords:function(t){var e=t.split(":"),i=new z(+e[0],+e[1]);return i.z=+e[2],i},_removeTile:function(t){var e=this._tiles[t];e&&(W(e.el),delete this._tiles[t],this.fire("tileunload",{tile:e.el,coords:this._keyToTileCoords(t)}))},_initTile:function(t){O(t,"leaflet-tile");var e=this.getTileSize();t.style.width=e.x+"px",t.style.height=e.y+"px",t.onselectstart=P,t.onmousemove=P,k.ielt9&&this.options.opacity<1&&pt(t,this.options.opacity)},_addTile:function(t,e){var i=this._getTilePos(t),n=this._tileCoordsToKey(t),o=this.createTile(this._wrapCoords(t),s(this._tileReady,this,t));this._initTile(o),this.createTile.length<2&&ot(s(this._tileReady,this,t,null,o)),V(o,i),this._tiles[n]={el:o,coords:t,current:!0},e.appendChild(o),this.fire("tileloadstart",{tile:o,coords:t})},_tileReady:function(t,e,i){e&&this.fire("tileerror",{error:e,tile:i,coords:t});var n=this._tileCoordsToKey(t);i=this._tiles[n],i&&(i.loaded=+new Date,this._map._fadeAnimated?(pt(i.el,0),ft(this._fadeFrame),this._fadeFrame=ot(this._updateOpacity,this)):(i.active=!0,this._pruneTiles()),e||(O(i.el,"leaflet-tile-loaded"),this.fire("tileload",{tile:i.el,coords:t})),this._noTilesToLoad()&&(this._loading=!1,this.fire("load"),k.ielt9||!this._map._fadeAnimated?ot(this._pruneTiles,this):setTimeout(s(this._pruneTiles,this),250)))},_getTilePos:function(t){return t.scaleBy(this.getTileSize()).subtract(this._level.origin)},_wrapCoords:function(t){var e=new z(this._wrapX?x(t.x,this._wrapX):t.x,this._wrapY?x(t.y,this._wrapY):t.y);return e.z=t.z,e},_pxBoundsToTileRange:function(t){var e=this.getTileSize();return new F(t.min.unscaleBy(e).floor(),t.max.unscaleBy(e).ceil().subtract([1,1]))},_noTilesToLoad:function(){for(var t in this._tiles)if(!this._tiles[t].loaded)return!1;return!0}});function Os(t){return new Ae(t)}var ue=Ae.extend({options:{minZoom:0,maxZoom:18,subdomains:"abc",errorTileUrl:"",zoomOffset:0,tms:!1,zoomReverse:!1,detectRetina:!1,crossOrigin:!1,referrerPolicy:!1},initialize:function(t,e){this._url=t,e=$(this,e),e.detectRetina&&k.retina&&e.maxZoom>0?(e.tileSize=Math.floor(e.tileSize/2),e.zoomReverse?(e.zoomOffset--,e.minZoom=Math.min(e.maxZoom,e.minZoom+1)):(e.zoomOffset++,e.maxZoom=Math.max(e.minZoom,e.maxZoom-1)),e.minZoom=Math.max(0,e.minZoom)):e.zoomReverse?e.minZoom=Math.min(e.maxZoom,e.minZoom):e.maxZoom=Math.max(e.minZoom,e.maxZoom),typeof e.subdomains=="string"&&(e.subdomains=e.subdomains.split("")),this.on("tileunload",this._onTileRemove)},setUrl:function(t,e){return this._url===t&&e===void 0&&(e=!0),this._url=t,e||this.redraw(),this},createTile:function(t,e){var i=document.createElement("img");return A(i,"load",s(this._tileOnLoad,this,e,i)),A(i,"error",s(this._tileOnError,this,e,i)),(this.options.crossOrigin||this.options.crossOrigin==="")&&(i.crossOrigin=this.options.crossOrigin===!0?"":this.options.crossOrigin),typeof this.options.referrerPolicy=="string"&&(i.referrerPolicy=this.options.referrerPolicy),i.alt="",i.src=this.getTileUrl(t),i},getTileUrl:function(t){var e={r:k.retina?"@2x":"",s:this._getSubdomain(t),x:t.x,y:t.y,z:this._getZoomForUrl()};if(this._map&&!this._map.options.crs.infinite){var i=this._globalTileRange.max.y-t.y;this.options.tms&&(e.y=i),e["-y"]=i}return Fe(this._url,r(e,this.options))},_tileOnLoad:function(t,e){k.ielt9?setTimeout(s(t,this,null,e),0):t(null,e)},_tileOnError:function(t,e,i){var n=this.options.errorTileUrl;n&&e.getAttribute("src")!==n&&(e.src=n),t(i,e)},_onTileRemove:function(t){t.tile.onload=null},_getZoomForUrl:function(){var t=this._tileZoom,e=this.options.maxZoom,i=this.options.zoomReverse,n=this.options.zoomOffset;return i&&(t=e-t),t+n},_getSubdomain:function(t){var e=Math.abs(t.x+t.y)%this.options.subdomains.length;return this.options.subdomains[e]},_abortLoading:function(){var t,e;for(t in this._tiles)if(this._tiles[t].coords.z!==this._tileZoom&&(e=this._tiles[t].el,e.onload=P,e.onerror=P,!e.complete)){e.src=oe;var i=this._tiles[t].coords;W(e),delete this._tiles[t],this.fire("tileabort",{tile:e,coords:i})}},_removeTile:function(t){var e=this._tiles[t];if(e)return e.el.setAttribute("src",oe),Ae.prototype._removeTile.call(this,t)},_tileReady:function(t,e,i){if(!(!this._map||i&&i.getAttribute("src")===oe))return Ae.prototype._tileReady.call(this,t,e,i)}});function xo(t,e){return new ue(t,e)}var Po=ue.extend({defaultWmsParams:{service:"WMS",request:"GetMap",layers:"",styles:"",format:"image/jpeg",transparent:!1,version:"1.1.1"},options:{crs:null,uppercase:!1},initialize:function(t,e){this._url=t;var i=r({},this.defaultWmsParams);for(var n in e)n in this.options||(i[n]=e[n]);e=$(this,e);var o=e.detectRetina&&k.retina?2:1,h=this.getTileSize();i.width=h.x*o,i.height=h.y*o,this.wmsParams=i},onAdd:function(t){this._crs=this.options.crs||t.options.crs,this._wmsVersion=parseFloat(this.wmsParams.version);var e=this._wmsVersion>=1.3?"crs":"srs";this.wmsParams[e]=this._crs.code,ue.prototype.onAdd.call(this,t)},getTileUrl:function(t){var e=this._tileCoordsToNwSe(t),i=this._crs,n=rt(i.project(e[0]),i.project(e[1])),o=n.min,h=n.max,c=(this._wmsVersion>=1.3&&this._crs===mo?[o.y,o.x,h.y,h.x]:[o.x,o.y,h.x,h.y]).join(","),p=ue.prototype.getTileUrl.call(this,t);return p+tt(this.wmsParams,p,this.options.uppercase)+(this.options.uppercase?"&BBOX=":"&bbox=")+c},setParams:function(t,e){return r(this.wmsParams,t),e||this.redraw(),this}});function Is(t,e){return new Po(t,e)}ue.WMS=Po,xo.wms=Is;var It=bt.extend({options:{padding:.1},initialize:function(t){$(this,t),f(this),this._layers=this._layers||{}},onAdd:function(){this._container||(this._initContainer(),O(this._container,"leaflet-zoom-animated")),this.getPane().appendChild(this._container),this._update(),this.on("update",this._updatePaths,this)},onRemove:function(){this.off("update",this._updatePaths,this),this._destroyContainer()},getEvents:function(){var t={viewreset:this._reset,zoom:this._onZoom,moveend:this._update,zoomend:this._onZoomEnd};return this._zoomAnimated&&(t.zoomanim=this._onAnimZoom),t},_onAnimZoom:function(t){this._updateTransform(t.center,t.zoom)},_onZoom:function(){this._updateTransform(this._map.getCenter(),this._map.getZoom())},_updateTransform:function(t,e){var i=this._map.getZoomScale(e,this._zoom),n=this._map.getSize().multiplyBy(.5+this.options.padding),o=this._map.project(this._center,e),h=n.multiplyBy(-i).add(o).subtract(this._map._getNewPixelOrigin(t,e));k.any3d?Wt(this._container,h,i):V(this._container,h)},_reset:function(){this._update(),this._updateTransform(this._center,this._zoom);for(var t in this._layers)this._layers[t]._reset()},_onZoomEnd:function(){for(var t in this._layers)this._layers[t]._project()},_updatePaths:function(){for(var t in this._layers)this._layers[t]._update()},_update:function(){var t=this.options.padding,e=this._map.getSize(),i=this._map.containerPointToLayerPoint(e.multiplyBy(-t)).round();this._bounds=new F(i,i.add(e.multiplyBy(1+t*2)).round()),this._center=this._map.getCenter(),this._zoom=this._map.getZoom()}}),ko=It.extend({options:{tolerance:0},getEvents:function(){var t=It.prototype.getEvents.call(this);return t.viewprereset=this._onViewPreReset,t},_onViewPreReset:function(){this._postponeUpdatePaths=!0},onAdd:function(){It.prototype.onAdd.call(this),this._draw()},_initContainer:function(){var t=this._container=document.createElement("canvas");A(t,"mousemove",this._onMouseMove,this),A(t,"click dblclick mousedown mouseup contextmenu",this._onClick,this),A(t,"mouseout",this._handleMouseOut,this),t._leaflet_disable_events=!0,this._ctx=t.getContext("2d")},_destroyContainer:function(){ft(this._redrawRequest),delete this._ctx,W(this._container),H(this._container),delete this._container},_updatePaths:function(){if(!this._postponeUpdatePaths){var t;this._redrawBounds=null;for(var e in this._layers)t=this._layers[e],t._update();this._redraw()}},_update:function(){if(!(this._map._animatingZoom&&this._bounds)){It.prototype._update.call(this);var t=this._bounds,e=this._container,i=t.getSize(),n=k.retina?2:1;V(e,t.min),e.width=n*i.x,e.height=n*i.y,e.style.width=i.x+"px",e.style.height=i.y+"px",k.retina&&this._ctx.scale(2,2),this._ctx.translate(-t.min.x,-t.min.y),this.fire("update")}},_reset:function(){It.prototype._reset.call(this),this._postponeUpdatePaths&&(this._postponeUpdatePaths=!1,this._updatePaths())},_initPath:function(t){this._updateDashArray(t),this._layers[f(t)]=t;var e=t._order={layer:t,prev:this._drawLast,next:null};this._drawLast&&(this._drawLast.next=e),this._drawLast=e,this._drawFirst=this._drawFirst||this._drawLast},_addPath:function(t){this._requestRedraw(t)},_removePath:function(t){var e=t._order,i=e.next,n=e.prev;i?i.prev=n:this._drawLast=n,n?n.next=i:this._drawFirst=i,delete t._order,delete this._layers[f(t)],this._requestRedraw(t)},_updatePath:function(t){this._extendRedrawBounds(t),t._project(),t._update(),this._requestRedraw(t)},_updateStyle:function(t){this._updateDashArray(t),this._requestRedraw(t)},_updateDashArray:function(t){if(typeof t.options.dashArray=="string"){var e=t.options.dashArray.split(/[, ]+/),i=[],n,o;for(o=0;o<e.length;o++){if(n=Number(e[o]),isNaN(n))return;i.push(n)}t.options._dashArray=i}else t.options._dashArray=t.options.dashArray},_requestRedraw:function(t){this._map&&(this._extendRedrawBounds(t),this._redrawRequest=this._redrawRequest||ot(this._redraw,this))},_extendRedrawBounds:function(t){if(t._pxBounds){var e=(t.options.weight||0)+1;this._redrawBounds=this._redrawBounds||new F,this._redrawBounds.extend(t._pxBounds.min.subtract([e,e])),this._redrawBounds.extend(t._pxBounds.max.add([e,e]))}},_redraw:function(){this._redrawRequest=null,this._redrawBounds&&(this._redrawBounds.min._floor(),this._redrawBounds.max._ceil()),this._clear(),this._draw(),this._redrawBounds=null},_clear:function(){var t=this._redrawBounds;if(t){var e=t.getSize();this._ctx.clearRect(t.min.x,t.min.y,e.x,e.y)}else this._ctx.save(),this._ctx.setTransform(1,0,0,1,0,0),this._ctx.clearRect(0,0,this._container.width,this._container.height),this._ctx.restore()},_draw:function(){var t,e=this._redrawBounds;if(this._ctx.save(),e){var i=e.getSize();this._ctx.beginPath(),this._ctx.rect(e.min.x,e.min.y,i.x,i.y),this._ctx.clip()}this._drawing=!0;for(var n=this._drawFirst;n;n=n.next)t=n.layer,(!e||t._pxBounds&&t._pxBounds.intersects(e))&&t._updatePath();this._drawing=!1,this._ctx.restore()},_updatePoly:function(t,e){if(this._drawing){var i,n,o,h,c=t._parts,p=c.length,m=this._ctx;if(p){for(m.beginPath(),i=0;i<p;i++){for(n=0,o=c[i].length;n<o;n++)h=c[i][n],m[n?"lineTo":"moveTo"](h.x,h.y);e&&m.closePath()}this._fillStroke(m,t)}}},_updateCircle:function(t){if(!(!this._drawing||t._empty())){var e=t._point,i=this._ctx,n=Math.max(Math.round(t._radius),1),o=(Math.max(Math.round(t._radiusY),1)||n)/n;o!==1&&(i.save(),i.scale(1,o)),i.beginPath(),i.arc(e.x,e.y/o,n,0,Math.PI*2,!1),o!==1&&i.restore(),this._fillStroke(i,t)}},_fillStroke:function(t,e){var i=e.options;i.fill&&(t.globalAlpha=i.fillOpacity,t.fillStyle=i.fillColor||i.color,t.fill(i.fillRule||"evenodd")),i.stroke&&i.weight!==0&&(t.setLineDash&&t.setLineDash(e.options&&e.options._dashArray||[]),t.globalAlpha=i.opacity,t.lineWidth=i.weight,t.strokeStyle=i.color,t.lineCap=i.lineCap,t.lineJoin=i.lineJoin,t.stroke())},_onClick:function(t){for(var e=this._map.mouseEventToLayerPoint(t),i,n,o=this._drawFirst;o;o=o.next)i=o.layer,i.options.interactive&&i._containsPoint(e)&&(!(t.type==="click"||t.type==="preclick")||!this._map._draggableMoved(i))&&(n=i);this._fireEvent(n?[n]:!1,t)},_onMouseMove:function(t){if(!(!this._map||this._map.dragging.moving()||this._map._animatingZoom)){var e=this._map.mouseEventToLayerPoint(t);this._handleMouseHover(t,e)}},_handleMouseOut:function(t){var e=this._hoveredLayer;e&&(j(this._container,"leaflet-interactive"),this._fireEvent([e],t,"mouseout"),this._hoveredLayer=null,this._mouseHoverThrottled=!1)},_handleMouseHover:function(t,e){if(!this._mouseHoverThrottled){for(var i,n,o=this._drawFirst;o;o=o.next)i=o.layer,i.options.interactive&&i._containsPoint(e)&&(n=i);n!==this._hoveredLayer&&(this._handleMouseOut(t),n&&(O(this._container,"leaflet-interactive"),this._fireEvent([n],t,"mouseover"),this._hoveredLayer=n)),this._fireEvent(this._hoveredLayer?[this._hoveredLayer]:!1,t),this._mouseHoverThrottled=!0,setTimeout(s(function(){this._mouseHoverThrottled=!1},this),32)}},_fireEvent:function(t,e,i){this._map._fireDOMEvent(e,i||e.type,t)},_bringToFront:function(t){var e=t._order;if(e){var i=e.next,n=e.prev;if(i)i.prev=n;else return;n?n.next=i:i&&(this._drawFirst=i),e.prev=this._drawLast,this._drawLast.next=e,e.next=null,this._drawLast=e,this._requestRedraw(t)}},_bringToBack:function(t){var e=t._order;if(e){var i=e.next,n=e.prev;if(n)n.next=i;else return;i?i.prev=n:n&&(this._drawLast=n),e.prev=null,e.next=this._drawFirst,this._drawFirst.prev=e,this._drawFirst=e,this._requestRedraw(t)}}});function Lo(t){return k.canvas?new ko(t):null}var Me=(function(){try{return document.namespaces.add("lvml","urn:schemas-microsoft-com:vml"),function(t){return document.createElement("<lvml:"+t+' class="lvml">')}}catch{}return function(t){return document.createElement("<"+t+' xmlns="urn:schemas-microsoft.com:vml" class="lvml">')}})(),Zs={_initContainer:function(){this._container=R("div","leaflet-vml-container")},_update:function(){this._map._animatingZoom||(It.prototype._update.call(this),this.fire("update"))},_initPath:function(t){var e=t._container=Me("shape");O(e,"leaflet-vml-shape "+(this.options.className||"")),e.coordsize="1 1",t._path=Me("path"),e.appendChild(t._path),this._updateStyle(t),this._layers[f(t)]=t},_addPath:function(t){var e=t._container;this._container.appendChild(e),t.options.interactive&&t.addInteractiveTarget(e)},_removePath:function(t){var e=t._container;W(e),t.removeInteractiveTarget(e),delete this._layers[f(t)]},_updateStyle:function(t){var e=t._stroke,i=t._fill,n=t.options,o=t._container;o.stroked=!!n.stroke,o.filled=!!n.fill,n.stroke?(e||(e=t._stroke=Me("stroke")),o.appendChild(e),e.weight=n.weight+"px",e.color=n.color,e.opacity=n.opacity,n.dashArray?e.dashStyle=ut(n.dashArray)?n.dashArray.join(" "):n.dashArray.replace(/( *, *)/g," "):e.dashStyle="",e.endcap=n.lineCap.replace("butt","flat"),e.joinstyle=n.lineJoin):e&&(o.removeChild(e),t._stroke=null),n.fill?(i||(i=t._fill=Me("fill")),o.appendChild(i),i.color=n.fillColor||n.color,i.opacity=n.fillOpacity):i&&(o.removeChild(i),t._fill=null)},_updateCircle:function(t){var e=t._point.round(),i=Math.round(t._radius),n=Math.round(t._radiusY||i);this._setPath(t,t._empty()?"M0 0":"AL "+e.x+","+e.y+" "+i+","+n+" 0,"+65535*360)},_setPath:function(t,e){t._path.v=e},_bringToFront:function(t){se(t._container)},_bringToBack:function(t){ae(t._container)}},ai=k.vml?Me:Sn,Oe=It.extend({_initContainer:function(){this._container=ai("svg"),this._container.setAttribute("pointer-events","none"),this._rootGroup=ai("g"),this._container.appendChild(this._rootGroup)},_destroyContainer:function(){W(this._container),H(this._container),delete this._container,delete this._rootGroup,delete this._svgSize},_update:function(){if(!(this._map._animatingZoom&&this._bounds)){It.prototype._update.call(this);var t=this._bounds,e=t.getSize(),i=this._container;(!this._svgSize||!this._svgSize.equals(e))&&(this._svgSize=e,i.setAttribute("width",e.x),i.setAttribute("height",e.y)),V(i,t.min),i.setAttribute("viewBox",[t.min.x,t.min.y,e.x,e.y].join(" ")),this.fire("update")}},_initPath:function(t){var e=t._path=ai("path");t.options.className&&O(e,t.options.className),t.options.interactive&&O(e,"leaflet-interactive"),this._updateStyle(t),this._layers[f(t)]=t},_addPath:function(t){this._rootGroup||this._initContainer(),this._rootGroup.appendChild(t._path),t.addInteractiveTarget(t._path)},_removePath:function(t){W(t._path),t.removeInteractiveTarget(t._path),delete this._layers[f(t)]},_updatePath:function(t){t._project(),t._update()},_updateStyle:function(t){var e=t._path,i=t.options;e&&(i.stroke?(e.setAttribute("stroke",i.color),e.setAttribute("stroke-opacity",i.opacity),e.setAttribute("stroke-width",i.weight),e.setAttribute("stroke-linecap",i.lineCap),e.setAttribute("stroke-linejoin",i.lineJoin),i.dashArray?e.setAttribute("stroke-dasharray",i.dashArray):e.removeAttribute("stroke-dasharray"),i.dashOffset?e.setAttribute("stroke-dashoffset",i.dashOffset):e.removeAttribute("stroke-dashoffset")):e.setAttribute("stroke","none"),i.fill?(e.setAttribute("fill",i.fillColor||i.color),e.setAttribute("fill-opacity",i.fillOpacity),e.setAttribute("fill-rule",i.fillRule||"evenodd")):e.setAttribute("fill","none"))},_updatePoly:function(t,e){this._setPath(t,En(t._parts,e))},_updateCircle:function(t){var e=t._point,i=Math.max(Math.round(t._radius),1),n=Math.max(Math.round(t._radiusY),1)||i,o="a"+i+","+n+" 0 1,0 ",h=t._empty()?"M0 0":"M"+(e.x-i)+","+e.y+o+i*2+",0 "+o+-i*2+",0 ";this._setPath(t,h)},_setPath:function(t,e){t._path.setAttribute("d",e)},_bringToFront:function(t){se(t._path)},_bringToBack:function(t){ae(t._path)}});k.vml&&Oe.include(Zs);function To(t){return k.svg||k.vml?new Oe(t):null}D.include({getRenderer:function(t){var e=t.options.renderer||this._getPaneRenderer(t.options.pane)||this.options.renderer||this._renderer;return e||(e=this._renderer=this._createRenderer()),this.hasLayer(e)||this.addLayer(e),e},_getPaneRenderer:function(t){if(t==="overlayPane"||t===void 0)return!1;var e=this._paneRenderers[t];return e===void 0&&(e=this._createRenderer({pane:t}),this._paneRenderers[t]=e),e},_createRenderer:function(t){return this.options.preferCanvas&&Lo(t)||To(t)}});var $o=de.extend({initialize:function(t,e){de.prototype.initialize.call(this,this._boundsToLatLngs(t),e)},setBounds:function(t){return this.setLatLngs(this._boundsToLatLngs(t))},_boundsToLatLngs:function(t){return t=G(t),[t.getSouthWest(),t.getNorthWest(),t.getNorthEast(),t.getSouthEast()]}});function Bs(t,e){return new $o(t,e)}Oe.create=ai,Oe.pointsToPath=En,Ot.geometryToLayer=ti,Ot.coordsToLatLng=nn,Ot.coordsToLatLngs=ei,Ot.latLngToCoords=on,Ot.latLngsToCoords=ii,Ot.getFeature=ce,Ot.asFeature=ni,D.mergeOptions({boxZoom:!0});var So=$t.extend({initialize:function(t){this._map=t,this._container=t._container,this._pane=t._panes.overlayPane,this._resetStateTimeout=0,t.on("unload",this._destroy,this)},addHooks:function(){A(this._container,"mousedown",this._onMouseDown,this)},removeHooks:function(){H(this._container,"mousedown",this._onMouseDown,this)},moved:function(){return this._moved},_destroy:function(){W(this._pane),delete this._pane},_resetState:function(){this._resetStateTimeout=0,this._moved=!1},_clearDeferredResetState:function(){this._resetStateTimeout!==0&&(clearTimeout(this._resetStateTimeout),this._resetStateTimeout=0)},_onMouseDown:function(t){if(!t.shiftKey||t.which!==1&&t.button!==1)return!1;this._clearDeferredResetState(),this._resetState(),Le(),Ri(),this._startPoint=this._map.mouseEventToContainerPoint(t),A(document,{contextmenu:Gt,mousemove:this._onMouseMove,mouseup:this._onMouseUp,keydown:this._onKeyDown},this)},_onMouseMove:function(t){this._moved||(this._moved=!0,this._box=R("div","leaflet-zoom-box",this._container),O(this._container,"leaflet-crosshair"),this._map.fire("boxzoomstart")),this._point=this._map.mouseEventToContainerPoint(t);var e=new F(this._point,this._startPoint),i=e.getSize();V(this._box,e.min),this._box.style.width=i.x+"px",this._box.style.height=i.y+"px"},_finish:function(){this._moved&&(W(this._box),j(this._container,"leaflet-crosshair")),Te(),Ni(),H(document,{contextmenu:Gt,mousemove:this._onMouseMove,mouseup:this._onMouseUp,keydown:this._onKeyDown},this)},_onMouseUp:function(t){if(!(t.which!==1&&t.button!==1)&&(this._finish(),!!this._moved)){this._clearDeferredResetState(),this._resetStateTimeout=setTimeout(s(this._resetState,this),0);var e=new st(this._map.containerPointToLatLng(this._startPoint),this._map.containerPointToLatLng(this._point));this._map.fitBounds(e).fire("boxzoomend",{boxZoomBounds:e})}},_onKeyDown:function(t){t.keyCode===27&&(this._finish(),this._clearDeferredResetState(),this._resetState())}});D.addInitHook("addHandler","boxZoom",So),D.mergeOptions({doubleClickZoom:!0});var Eo=$t.extend({addHooks:function(){this._map.on("dblclick",this._onDoubleClick,this)},removeHooks:function(){this._map.off("dblclick",this._onDoubleClick,this)},_onDoubleClick:function(t){var e=this._map,i=e.getZoom(),n=e.options.zoomDelta,o=t.originalEvent.shiftKey?i-n:i+n;e.options.doubleClickZoom==="center"?e.setZoom(o):e.setZoomAround(t.containerPoint,o)}});D.addInitHook("addHandler","doubleClickZoom",Eo),D.mergeOptions({dragging:!0,inertia:!0,inertiaDeceleration:3400,inertiaMaxSpeed:1/0,easeLinearity:.2,worldCopyJump:!1,maxBoundsViscosity:0});var Co=$t.extend({addHooks:function(){if(!this._draggable){var t=this._map;this._draggable=new Nt(t._mapPane,t._container),this._draggable.on({dragstart:this._onDragStart,drag:this._onDrag,dragend:this._onDragEnd},this),this._draggable.on("predrag",this._onPreDragLimit,this),t.options.worldCopyJump&&(this._draggable.on("predrag",this._onPreDragWrap,this),t.on("zoomend",this._onZoomEnd,this),t.whenReady(this._onZoomEnd,this))}O(this._map._container,"leaflet-grab leaflet-touch-drag"),this._draggable.enable(),this._positions=[],this._times=[]},removeHooks:function(){j(this._map._container,"leaflet-grab"),j(this._map._container,"leaflet-touch-drag"),this._draggable.disable()},moved:function(){return this._draggable&&this._draggable._moved},moving:function(){return this._draggable&&this._draggable._moving},_onDragStart:function(){var t=this._map;if(t._stop(),this._map.options.maxBounds&&this._map.options.maxBoundsViscosity){var e=G(this._map.options.maxBounds);this._offsetLimit=rt(this._map.latLngToContainerPoint(e.getNorthWest()).multiplyBy(-1),this._map.latLngToContainerPoint(e.getSouthEast()).multiplyBy(-1).add(this._map.getSize())),this._viscosity=Math.min(1,Math.max(0,this._map.options.maxBoundsViscosity))}else this._offsetLimit=null;t.fire("movestart").fire("dragstart"),t.options.inertia&&(this._positions=[],this._times=[])},_onDrag:function(t){if(this._map.options.inertia){var e=this._lastTime=+new Date,i=this._lastPos=this._draggable._absPos||this._draggable._newPos;this._positions.push(i),this._times.push(e),this._prunePositions(e)}this._map.fire("move",t).fire("drag",t)},_prunePositions:function(t){for(;this._positions.length>1&&t-this._times[0]>50;)this._positions.shift(),this._times.shift()},_onZoomEnd:function(){var t=this._map.getSize().divideBy(2),e=this._map.latLngToLayerPoint([0,0]);this._initialWorldOffset=e.subtract(t).x,this._worldWidth=this._map.getPixelWorldBounds().getSize().x},_viscousLimit:function(t,e){return t-(t-e)*this._viscosity},_onPreDragLimit:function(){if(!(!this._viscosity||!this._offsetLimit)){var t=this._draggable._newPos.subtract(this._draggable._startPos),e=this._offsetLimit;t.x<e.min.x&&(t.x=this._viscousLimit(t.x,e.min.x)),t.y<e.min.y&&(t.y=this._viscousLimit(t.y,e.min.y)),t.x>e.max.x&&(t.x=this._viscousLimit(t.x,e.max.x)),t.y>e.max.y&&(t.y=this._viscousLimit(t.y,e.max.y)),this._draggable._newPos=this._draggable._startPos.add(t)}},_onPreDragWrap:function(){var t=this._worldWidth,e=Math.round(t/2),i=this._initialWorldOffset,n=this._draggable._newPos.x,o=(n-e+i)%t+e-i,h=(n+e+i)%t-e-i,c=Math.abs(o+i)<Math.abs(h+i)?o:h;this._draggable._absPos=this._draggable._newPos.clone(),this._draggable._newPos.x=c},_onDragEnd:function(t){var e=this._map,i=e.options,n=!i.inertia||t.noInertia||this._times.length<2;if(e.fire("dragend",t),n)e.fire("moveend");else{this._prunePositions(+new Date);var o=this._lastPos.subtract(this._positions[0]),h=(this._lastTime-this._times[0])/1e3,c=i.easeLinearity,p=o.multiplyBy(c/h),m=p.distanceTo([0,0]),g=Math.min(i.inertiaMaxSpeed,m),b=p.multiplyBy(g/m),S=g/(i.inertiaDeceleration*c),I=b.multiplyBy(-S/2).round();!I.x&&!I.y?e.fire("moveend"):(I=e._limitOffset(I,e.options.maxBounds),ot(function(){e.panBy(I,{duration:S,easeLinearity:c,noMoveStart:!0,animate:!0})}))}}});D.addInitHook("addHandler","dragging",Co),D.mergeOptions({keyboard:!0,keyboardPanDelta:80});var zo=$t.extend({keyCodes:{left:[37],right:[39],down:[40],up:[38],zoomIn:[187,107,61,171],zoomOut:[189,109,54,173]},initialize:function(t){this._map=t,this._setPanDelta(t.options.keyboardPanDelta),this._setZoomDelta(t.options.zoomDelta)},addHooks:function(){var t=this._map._container;t.tabIndex<=0&&(t.tabIndex="0"),A(t,{focus:this._onFocus,blur:this._onBlur,mousedown:this._onMouseDown},this),this._map.on({focus:this._addHooks,blur:this._removeHooks},this)},removeHooks:function(){this._removeHooks(),H(this._map._container,{focus:this._onFocus,blur:this._onBlur,mousedown:this._onMouseDown},this),this._map.off({focus:this._addHooks,blur:this._removeHooks},this)},_onMouseDown:function(){if(!this._focused){var t=document.body,e=document.documentElement,i=t.scrollTop||e.scrollTop,n=t.scrollLeft||e.scrollLeft;this._map._container.focus(),window.scrollTo(n,i)}},_onFocus:function(){this._focused=!0,this._map.fire("focus")},_onBlur:function(){this._focused=!1,this._map.fire("blur")},_setPanDelta:function(t){var e=this._panKeys={},i=this.keyCodes,n,o;for(n=0,o=i.left.length;n<o;n++)e[i.left[n]]=[-1*t,0];for(n=0,o=i.right.length;n<o;n++)e[i.right[n]]=[t,0];for(n=0,o=i.down.length;n<o;n++)e[i.down[n]]=[0,t];for(n=0,o=i.up.length;n<o;n++)e[i.up[n]]=[0,-1*t]},_setZoomDelta:function(t){var e=this._zoomKeys={},i=this.keyCodes,n,o;for(n=0,o=i.zoomIn.length;n<o;n++)e[i.zoomIn[n]]=t;for(n=0,o=i.zoomOut.length;n<o;n++)e[i.zoomOut[n]]=-t},_addHooks:function(){A(document,"keydown",this._onKeyDown,this)},_removeHooks:function(){H(document,"keydown",this._onKeyDown,this)},_onKeyDown:function(t){if(!(t.altKey||t.ctrlKey||t.metaKey)){var e=t.keyCode,i=this._map,n;if(e in this._panKeys){if(!i._panAnim||!i._panAnim._inProgress)if(n=this._panKeys[e],t.shiftKey&&(n=E(n).multiplyBy(3)),i.options.maxBounds&&(n=i._limitOffset(E(n),i.options.maxBounds)),i.options.worldCopyJump){var o=i.wrapLatLng(i.unproject(i.project(i.getCenter()).add(n)));i.panTo(o)}else i.panBy(n)}else if(e in this._zoomKeys)i.setZoom(i.getZoom()+(t.shiftKey?3:1)*this._zoomKeys[e]);else if(e===27&&i._popup&&i._popup.options.closeOnEscapeKey)i.closePopup();else return;Gt(t)}}});D.addInitHook("addHandler","keyboard",zo),D.mergeOptions({scrollWheelZoom:!0,wheelDebounceTime:40,wheelPxPerZoomLevel:60});var Ao=$t.extend({addHooks:function(){A(this._map._container,"wheel",this._onWheelScroll,this),this._delta=0},removeHooks:function(){H(this._map._container,"wheel",this._onWheelScroll,this)},_onWheelScroll:function(t){var e=eo(t),i=this._map.options.wheelDebounceTime;this._delta+=e,this._lastMousePos=this._map.mouseEventToContainerPoint(t),this._startTime||(this._startTime=+new Date);var n=Math.max(i-(+new Date-this._startTime),0);clearTimeout(this._timer),this._timer=setTimeout(s(this._performZoom,this),n),Gt(t)},_performZoom:function(){var t=this._map,e=t.getZoom(),i=this._map.options.zoomSnap||0;t._stop();var n=this._delta/(this._map.options.wheelPxPerZoomLevel*4),o=4*Math.log(2/(1+Math.exp(-Math.abs(n))))/Math.LN2,h=i?Math.ceil(o/i)*i:o,c=t._limitZoom(e+(this._delta>0?h:-h))-e;this._delta=0,this._startTime=null,c&&(t.options.scrollWheelZoom==="center"?t.setZoom(e+c):t.setZoomAround(this._lastMousePos,e+c))}});D.addInitHook("addHandler","scrollWheelZoom",Ao);var Ds=600;D.mergeOptions({tapHold:k.touchNative&&k.safari&&k.mobile,tapTolerance:15});var Mo=$t.extend({addHooks:function(){A(this._map._container,"touchstart",this._onDown,this)},removeHooks:function(){H(this._map._container,"touchstart",this._onDown,this)},_onDown:function(t){if(clearTimeout(this._holdTimeout),t.touches.length===1){var e=t.touches[0];this._startPos=this._newPos=new z(e.clientX,e.clientY),this._holdTimeout=setTimeout(s(function(){this._cancel(),this._isTapValid()&&(A(document,"touchend",Q),A(document,"touchend touchcancel",this._cancelClickPrevent),this._simulateEvent("contextmenu",e))},this),Ds),A(document,"touchend touchcancel contextmenu",this._cancel,this),A(document,"touchmove",this._onMove,this)}},_cancelClickPrevent:function t(){H(document,"touchend",Q),H(document,"touchend touchcancel",t)},_cancel:function(){clearTimeout(this._holdTimeout),H(document,"touchend touchcancel contextmenu",this._cancel,this),H(document,"touchmove",this._onMove,this)},_onMove:function(t){var e=t.touches[0];this._newPos=new z(e.clientX,e.clientY)},_isTapValid:function(){return this._newPos.distanceTo(this._startPos)<=this._map.options.tapTolerance},_simulateEvent:function(t,e){var i=new MouseEvent(t,{bubbles:!0,cancelable:!0,view:window,screenX:e.screenX,screenY:e.screenY,clientX:e.clientX,clientY:e.clientY});i._simulated=!0,e.target.dispatchEvent(i)}});D.addInitHook("addHandler","tapHold",Mo),D.mergeOptions({touchZoom:k.touch,bounceAtZoomLimits:!0});var Oo=$t.extend({addHooks:function(){O(this._map._container,"leaflet-touch-zoom"),A(this._map._container,"touchstart",this._onTouchStart,this)},removeHooks:function(){j(this._map._container,"leaflet-touch-zoom"),H(this._map._container,"touchstart",this._onTouchStart,this)},_onTouchStart:function(t){var e=this._map;if(!(!t.touches||t.touches.length!==2||e._animatingZoom||this._zooming)){var i=e.mouseEventToContainerPoint(t.touches[0]),n=e.mouseEventToContainerPoint(t.touches[1]);this._centerPoint=e.getSize()._divideBy(2),this._startLatLng=e.containerPointToLatLng(this._centerPoint),e.options.touchZoom!=="center"&&(this._pinchStartLatLng=e.containerPointToLatLng(i.add(n)._divideBy(2))),this._startDist=i.distanceTo(n),this._startZoom=e.getZoom(),this._moved=!1,this._zooming=!0,e._stop(),A(document,"touchmove",this._onTouchMove,this),A(document,"touchend touchcancel",this._onTouchEnd,this),Q(t)}},_onTouchMove:function(t){if(!(!t.touches||t.touches.length!==2||!this._zooming)){var e=this._map,i=e.mouseEventToContainerPoint(t.touches[0]),n=e.mouseEventToContainerPoint(t.touches[1]),o=i.distanceTo(n)/this._startDist;if(this._zoom=e.getScaleZoom(o,this._startZoom),!e.options.bounceAtZoomLimits&&(this._zoom<e.getMinZoom()&&o<1||this._zoom>e.getMaxZoom()&&o>1)&&(this._zoom=e._limitZoom(this._zoom)),e.options.touchZoom==="center"){if(this._center=this._startLatLng,o===1)return}else{var h=i._add(n)._divideBy(2)._subtract(this._centerPoint);if(o===1&&h.x===0&&h.y===0)return;this._center=e.unproject(e.project(this._pinchStartLatLng,this._zoom).subtract(h),this._zoom)}this._moved||(e._moveStart(!0,!1),this._moved=!0),ft(this._animRequest);var c=s(e._move,e,this._center,this._zoom,{pinch:!0,round:!1},void 0);this._animRequest=ot(c,this,!0),Q(t)}},_onTouchEnd:function(){if(!this._moved||!this._zooming){this._zooming=!1;return}this._zooming=!1,ft(this._animRequest),H(document,"touchmove",this._onTouchMove,this),H(document,"touchend touchcancel",this._onTouchEnd,this),this._map.options.zoomAnimation?this._map._animateZoom(this._center,this._map._limitZoom(this._zoom),!0,this._map.options.zoomSnap):this._map._resetView(this._center,this._map._limitZoom(this._zoom))}});D.addInitHook("addHandler","touchZoom",Oo),D.BoxZoom=So,D.DoubleClickZoom=Eo,D.Drag=Co,D.Keyboard=zo,D.ScrollWheelZoom=Ao,D.TapHold=Mo,D.TouchZoom=Oo,d.Bounds=F,d.Browser=k,d.CRS=zt,d.Canvas=ko,d.Circle=en,d.CircleMarker=Qe,d.Class=Ct,d.Control=yt,d.DivIcon=wo,d.DivOverlay=St,d.DomEvent=is,d.DomUtil=ts,d.Draggable=Nt,d.Evented=be,d.FeatureGroup=At,d.GeoJSON=Ot,d.GridLayer=Ae,d.Handler=$t,d.Icon=he,d.ImageOverlay=oi,d.LatLng=q,d.LatLngBounds=st,d.Layer=bt,d.LayerGroup=le,d.LineUtil=ms,d.Map=D,d.Marker=Xe,d.Mixin=hs,d.Path=qt,d.Point=z,d.PolyUtil=ds,d.Polygon=de,d.Polyline=Mt,d.Popup=ri,d.PosAnimation=io,d.Projection=_s,d.Rectangle=$o,d.Renderer=It,d.SVG=Oe,d.SVGOverlay=bo,d.TileLayer=ue,d.Tooltip=si,d.Transformation=$i,d.Util=xr,d.VideoOverlay=yo,d.bind=s,d.bounds=rt,d.canvas=Lo,d.circle=ks,d.circleMarker=Ps,d.control=Ee,d.divIcon=Ms,d.extend=r,d.featureGroup=bs,d.geoJSON=vo,d.geoJson=$s,d.gridLayer=Os,d.icon=ws,d.imageOverlay=Ss,d.latLng=B,d.latLngBounds=G,d.layerGroup=ys,d.map=ns,d.marker=xs,d.point=E,d.polygon=Ts,d.polyline=Ls,d.popup=zs,d.rectangle=Bs,d.setOptions=$,d.stamp=f,d.svg=To,d.svgOverlay=Cs,d.tileLayer=xo,d.tooltip=As,d.transformation=we,d.version=l,d.videoOverlay=Es;var Rs=window.L;d.noConflict=function(){return window.L=Rs,this},window.L=d}))});var hi=globalThis,di=hi.ShadowRoot&&(hi.ShadyCSS===void 0||hi.ShadyCSS.nativeShadow)&&"adoptedStyleSheets"in Document.prototype&&"replace"in CSSStyleSheet.prototype,ln=Symbol(),Ro=new WeakMap,Ie=class{constructor(l,r,a){if(this._$cssResult$=!0,a!==ln)throw Error("CSSResult is not constructable. Use `unsafeCSS` or `css` instead.");this.cssText=l,this.t=r}get styleSheet(){let l=this.o,r=this.t;if(di&&l===void 0){let a=r!==void 0&&r.length===1;a&&(l=Ro.get(r)),l===void 0&&((this.o=l=new CSSStyleSheet).replaceSync(this.cssText),a&&Ro.set(r,l))}return l}toString(){return this.cssText}},ci=d=>new Ie(typeof d=="string"?d:d+"",void 0,ln),X=(d,...l)=>{let r=d.length===1?d[0]:l.reduce((a,s,u)=>a+(f=>{if(f._$cssResult$===!0)return f.cssText;if(typeof f=="number")return f;throw Error("Value passed to 'css' function must be a 'css' function result: "+f+". Use 'unsafeCSS' to pass non-literal values, but take care to ensure page security.")})(s)+d[u+1],d[0]);return new Ie(r,d,ln)},No=(d,l)=>{if(di)d.adoptedStyleSheets=l.map(r=>r instanceof CSSStyleSheet?r:r.styleSheet);else for(let r of l){let a=document.createElement("style"),s=hi.litNonce;s!==void 0&&a.setAttribute("nonce",s),a.textContent=r.cssText,d.appendChild(a)}},hn=di?d=>d:d=>d instanceof CSSStyleSheet?(l=>{let r="";for(let a of l.cssRules)r+=a.cssText;return ci(r)})(d):d;var{is:ea,defineProperty:ia,getOwnPropertyDescriptor:na,getOwnPropertyNames:oa,getOwnPropertySymbols:ra,getPrototypeOf:sa}=Object,ui=globalThis,qo=ui.trustedTypes,aa=qo?qo.emptyScript:"",la=ui.reactiveElementPolyfillSupport,Ze=(d,l)=>d,Be={toAttribute(d,l){switch(l){case Boolean:d=d?aa:null;break;case Object:case Array:d=d==null?d:JSON.stringify(d)}return d},fromAttribute(d,l){let r=d;switch(l){case Boolean:r=d!==null;break;case Number:r=d===null?null:Number(d);break;case Object:case Array:try{r=JSON.parse(d)}catch{r=null}}return r}},fi=(d,l)=>!ea(d,l),Ho={attribute:!0,type:String,converter:Be,reflect:!1,useDefault:!1,hasChanged:fi};Symbol.metadata??=Symbol("metadata"),ui.litPropertyMetadata??=new WeakMap;var Zt=class extends HTMLElement{static addInitializer(l){this._$Ei(),(this.l??=[]).push(l)}static get observedAttributes(){return this.finalize(),this._$Eh&&[...this._$Eh.keys()]}static createProperty(l,r=Ho){if(r.state&&(r.attribute=!1),this._$Ei(),this.prototype.hasOwnProperty(l)&&((r=Object.create(r)).wrapped=!0),this.elementProperties.set(l,r),!r.noAccessor){let a=Symbol(),s=this.getPropertyDescriptor(l,a,r);s!==void 0&&ia(this.prototype,l,s)}}static getPropertyDescriptor(l,r,a){let{get:s,set:u}=na(this.prototype,l)??{get(){return this[r]},set(f){this[r]=f}};return{get:s,set(f){let v=s?.call(this);u?.call(this,f),this.requestUpdate(l,v,a)},configurable:!0,enumerable:!0}}static getPropertyOptions(l){return this.elementProperties.get(l)??Ho}static _$Ei(){if(this.hasOwnProperty(Ze("elementProperties")))return;let l=sa(this);l.finalize(),l.l!==void 0&&(this.l=[...l.l]),this.elementProperties=new Map(l.elementProperties)}static finalize(){if(this.hasOwnProperty(Ze("finalized")))return;if(this.finalized=!0,this._$Ei(),this.hasOwnProperty(Ze("properties"))){let r=this.properties,a=[...oa(r),...ra(r)];for(let s of a)this.createProperty(s,r[s])}let l=this[Symbol.metadata];if(l!==null){let r=litPropertyMetadata.get(l);if(r!==void 0)for(let[a,s]of r)this.elementProperties.set(a,s)}this._$Eh=new Map;for(let[r,a]of this.elementProperties){let s=this._$Eu(r,a);s!==void 0&&this._$Eh.set(s,r)}this.elementStyles=this.finalizeStyles(this.styles)}static finalizeStyles(l){let r=[];if(Array.isArray(l)){let a=new Set(l.flat(1/0).reverse());for(let s of a)r.unshift(hn(s))}else l!==void 0&&r.push(hn(l));return r}static _$Eu(l,r){let a=r.attribute;return a===!1?void 0:typeof a=="string"?a:typeof l=="string"?l.toLowerCase():void 0}constructor(){super(),this._$Ep=void 0,this.isUpdatePending=!1,this.hasUpdated=!1,this._$Em=null,this._$Ev()}_$Ev(){this._$ES=new Promise(l=>this.enableUpdating=l),this._$AL=new Map,this._$E_(),this.requestUpdate(),this.constructor.l?.forEach(l=>l(this))}addController(l){(this._$EO??=new Set).add(l),this.renderRoot!==void 0&&this.isConnected&&l.hostConnected?.()}removeController(l){this._$EO?.delete(l)}_$E_(){let l=new Map,r=this.constructor.elementProperties;for(let a of r.keys())this.hasOwnProperty(a)&&(l.set(a,this[a]),delete this[a]);l.size>0&&(this._$Ep=l)}createRenderRoot(){let l=this.shadowRoot??this.attachShadow(this.constructor.shadowRootOptions);return No(l,this.constructor.elementStyles),l}connectedCallback(){this.renderRoot??=this.createRenderRoot(),this.enableUpdating(!0),this._$EO?.forEach(l=>l.hostConnected?.())}enableUpdating(l){}disconnectedCallback(){this._$EO?.forEach(l=>l.hostDisconnected?.())}attributeChangedCallback(l,r,a){this._$AK(l,a)}_$ET(l,r){let a=this.constructor.elementProperties.get(l),s=this.constructor._$Eu(l,a);if(s!==void 0&&a.reflect===!0){let u=(a.converter?.toAttribute!==void 0?a.converter:Be).toAttribute(r,a.type);this._$Em=l,u==null?this.removeAttribute(s):this.setAttribute(s,u),this._$Em=null}}_$AK(l,r){let a=this.constructor,s=a._$Eh.get(l);if(s!==void 0&&this._$Em!==s){let u=a.getPropertyOptions(s),f=typeof u.converter=="function"?{fromAttribute:u.converter}:u.converter?.fromAttribute!==void 0?u.converter:Be;this._$Em=s;let v=f.fromAttribute(r,u.type);this[s]=v??this._$Ej?.get(s)??v,this._$Em=null}}requestUpdate(l,r,a,s=!1,u){if(l!==void 0){let f=this.constructor;if(s===!1&&(u=this[l]),a??=f.getPropertyOptions(l),!((a.hasChanged??fi)(u,r)||a.useDefault&&a.reflect&&u===this._$Ej?.get(l)&&!this.hasAttribute(f._$Eu(l,a))))return;this.C(l,r,a)}this.isUpdatePending===!1&&(this._$ES=this._$EP())}C(l,r,{useDefault:a,reflect:s,wrapped:u},f){a&&!(this._$Ej??=new Map).has(l)&&(this._$Ej.set(l,f??r??this[l]),u!==!0||f!==void 0)||(this._$AL.has(l)||(this.hasUpdated||a||(r=void 0),this._$AL.set(l,r)),s===!0&&this._$Em!==l&&(this._$Eq??=new Set).add(l))}async _$EP(){this.isUpdatePending=!0;try{await this._$ES}catch(r){Promise.reject(r)}let l=this.scheduleUpdate();return l!=null&&await l,!this.isUpdatePending}scheduleUpdate(){return this.performUpdate()}performUpdate(){if(!this.isUpdatePending)return;if(!this.hasUpdated){if(this.renderRoot??=this.createRenderRoot(),this._$Ep){for(let[s,u]of this._$Ep)this[s]=u;this._$Ep=void 0}let a=this.constructor.elementProperties;if(a.size>0)for(let[s,u]of a){let{wrapped:f}=u,v=this[s];f!==!0||this._$AL.has(s)||v===void 0||this.C(s,void 0,u,v)}}let l=!1,r=this._$AL;try{l=this.shouldUpdate(r),l?(this.willUpdate(r),this._$EO?.forEach(a=>a.hostUpdate?.()),this.update(r)):this._$EM()}catch(a){throw l=!1,this._$EM(),a}l&&this._$AE(r)}willUpdate(l){}_$AE(l){this._$EO?.forEach(r=>r.hostUpdated?.()),this.hasUpdated||(this.hasUpdated=!0,this.firstUpdated(l)),this.updated(l)}_$EM(){this._$AL=new Map,this.isUpdatePending=!1}get updateComplete(){return this.getUpdateComplete()}getUpdateComplete(){return this._$ES}shouldUpdate(l){return!0}update(l){this._$Eq&&=this._$Eq.forEach(r=>this._$ET(r,this[r])),this._$EM()}updated(l){}firstUpdated(l){}};Zt.elementStyles=[],Zt.shadowRootOptions={mode:"open"},Zt[Ze("elementProperties")]=new Map,Zt[Ze("finalized")]=new Map,la?.({ReactiveElement:Zt}),(ui.reactiveElementVersions??=[]).push("2.1.2");var _n=globalThis,Fo=d=>d,pi=_n.trustedTypes,Wo=pi?pi.createPolicy("lit-html",{createHTML:d=>d}):void 0,Yo="$lit$",Ht=`lit$${Math.random().toFixed(9).slice(2)}$`,Jo="?"+Ht,ha=`<${Jo}>`,Jt=document,Re=()=>Jt.createComment(""),Ne=d=>d===null||typeof d!="object"&&typeof d!="function",gn=Array.isArray,da=d=>gn(d)||typeof d?.[Symbol.iterator]=="function",dn=`[ 	
\f\r]`,De=/<(?:(!--|\/[^a-zA-Z])|(\/?[a-zA-Z][^>\s]*)|(\/?$))/g,Uo=/-->/g,jo=/>/g,Kt=RegExp(`>|${dn}(?:([^\\s"'>=/]+)(${dn}*=${dn}*(?:[^ 	
\f\r"'\`<>=]|("|')|))|$)`,"g"),Go=/'/g,Vo=/"/g,Xo=/^(?:script|style|textarea|title)$/i,vn=d=>(l,...r)=>({_$litType$:d,strings:l,values:r}),_=vn(1),Za=vn(2),Ba=vn(3),Xt=Symbol.for("lit-noChange"),y=Symbol.for("lit-nothing"),Ko=new WeakMap,Yt=Jt.createTreeWalker(Jt,129);function Qo(d,l){if(!gn(d)||!d.hasOwnProperty("raw"))throw Error("invalid template strings array");return Wo!==void 0?Wo.createHTML(l):l}var ca=(d,l)=>{let r=d.length-1,a=[],s,u=l===2?"<svg>":l===3?"<math>":"",f=De;for(let v=0;v<r;v++){let x=d[v],P,Z,C=-1,T=0;for(;T<x.length&&(f.lastIndex=T,Z=f.exec(x),Z!==null);)T=f.lastIndex,f===De?Z[1]==="!--"?f=Uo:Z[1]!==void 0?f=jo:Z[2]!==void 0?(Xo.test(Z[2])&&(s=RegExp("</"+Z[2],"g")),f=Kt):Z[3]!==void 0&&(f=Kt):f===Kt?Z[0]===">"?(f=s??De,C=-1):Z[1]===void 0?C=-2:(C=f.lastIndex-Z[2].length,P=Z[1],f=Z[3]===void 0?Kt:Z[3]==='"'?Vo:Go):f===Vo||f===Go?f=Kt:f===Uo||f===jo?f=De:(f=Kt,s=void 0);let $=f===Kt&&d[v+1].startsWith("/>")?" ":"";u+=f===De?x+ha:C>=0?(a.push(P),x.slice(0,C)+Yo+x.slice(C)+Ht+$):x+Ht+(C===-2?v:$)}return[Qo(d,u+(d[r]||"<?>")+(l===2?"</svg>":l===3?"</math>":"")),a]},qe=class d{constructor({strings:l,_$litType$:r},a){let s;this.parts=[];let u=0,f=0,v=l.length-1,x=this.parts,[P,Z]=ca(l,r);if(this.el=d.createElement(P,a),Yt.currentNode=this.el.content,r===2||r===3){let C=this.el.content.firstChild;C.replaceWith(...C.childNodes)}for(;(s=Yt.nextNode())!==null&&x.length<v;){if(s.nodeType===1){if(s.hasAttributes())for(let C of s.getAttributeNames())if(C.endsWith(Yo)){let T=Z[f++],$=s.getAttribute(C).split(Ht),tt=/([.?@])?(.*)/.exec(T);x.push({type:1,index:u,name:tt[2],strings:$,ctor:tt[1]==="."?un:tt[1]==="?"?fn:tt[1]==="@"?pn:me}),s.removeAttribute(C)}else C.startsWith(Ht)&&(x.push({type:6,index:u}),s.removeAttribute(C));if(Xo.test(s.tagName)){let C=s.textContent.split(Ht),T=C.length-1;if(T>0){s.textContent=pi?pi.emptyScript:"";for(let $=0;$<T;$++)s.append(C[$],Re()),Yt.nextNode(),x.push({type:2,index:++u});s.append(C[T],Re())}}}else if(s.nodeType===8)if(s.data===Jo)x.push({type:2,index:u});else{let C=-1;for(;(C=s.data.indexOf(Ht,C+1))!==-1;)x.push({type:7,index:u}),C+=Ht.length-1}u++}}static createElement(l,r){let a=Jt.createElement("template");return a.innerHTML=l,a}};function pe(d,l,r=d,a){if(l===Xt)return l;let s=a!==void 0?r._$Co?.[a]:r._$Cl,u=Ne(l)?void 0:l._$litDirective$;return s?.constructor!==u&&(s?._$AO?.(!1),u===void 0?s=void 0:(s=new u(d),s._$AT(d,r,a)),a!==void 0?(r._$Co??=[])[a]=s:r._$Cl=s),s!==void 0&&(l=pe(d,s._$AS(d,l.values),s,a)),l}var cn=class{constructor(l,r){this._$AV=[],this._$AN=void 0,this._$AD=l,this._$AM=r}get parentNode(){return this._$AM.parentNode}get _$AU(){return this._$AM._$AU}u(l){let{el:{content:r},parts:a}=this._$AD,s=(l?.creationScope??Jt).importNode(r,!0);Yt.currentNode=s;let u=Yt.nextNode(),f=0,v=0,x=a[0];for(;x!==void 0;){if(f===x.index){let P;x.type===2?P=new He(u,u.nextSibling,this,l):x.type===1?P=new x.ctor(u,x.name,x.strings,this,l):x.type===6&&(P=new mn(u,this,l)),this._$AV.push(P),x=a[++v]}f!==x?.index&&(u=Yt.nextNode(),f++)}return Yt.currentNode=Jt,s}p(l){let r=0;for(let a of this._$AV)a!==void 0&&(a.strings!==void 0?(a._$AI(l,a,r),r+=a.strings.length-2):a._$AI(l[r])),r++}},He=class d{get _$AU(){return this._$AM?._$AU??this._$Cv}constructor(l,r,a,s){this.type=2,this._$AH=y,this._$AN=void 0,this._$AA=l,this._$AB=r,this._$AM=a,this.options=s,this._$Cv=s?.isConnected??!0}get parentNode(){let l=this._$AA.parentNode,r=this._$AM;return r!==void 0&&l?.nodeType===11&&(l=r.parentNode),l}get startNode(){return this._$AA}get endNode(){return this._$AB}_$AI(l,r=this){l=pe(this,l,r),Ne(l)?l===y||l==null||l===""?(this._$AH!==y&&this._$AR(),this._$AH=y):l!==this._$AH&&l!==Xt&&this._(l):l._$litType$!==void 0?this.$(l):l.nodeType!==void 0?this.T(l):da(l)?this.k(l):this._(l)}O(l){return this._$AA.parentNode.insertBefore(l,this._$AB)}T(l){this._$AH!==l&&(this._$AR(),this._$AH=this.O(l))}_(l){this._$AH!==y&&Ne(this._$AH)?this._$AA.nextSibling.data=l:this.T(Jt.createTextNode(l)),this._$AH=l}$(l){let{values:r,_$litType$:a}=l,s=typeof a=="number"?this._$AC(l):(a.el===void 0&&(a.el=qe.createElement(Qo(a.h,a.h[0]),this.options)),a);if(this._$AH?._$AD===s)this._$AH.p(r);else{let u=new cn(s,this),f=u.u(this.options);u.p(r),this.T(f),this._$AH=u}}_$AC(l){let r=Ko.get(l.strings);return r===void 0&&Ko.set(l.strings,r=new qe(l)),r}k(l){gn(this._$AH)||(this._$AH=[],this._$AR());let r=this._$AH,a,s=0;for(let u of l)s===r.length?r.push(a=new d(this.O(Re()),this.O(Re()),this,this.options)):a=r[s],a._$AI(u),s++;s<r.length&&(this._$AR(a&&a._$AB.nextSibling,s),r.length=s)}_$AR(l=this._$AA.nextSibling,r){for(this._$AP?.(!1,!0,r);l!==this._$AB;){let a=Fo(l).nextSibling;Fo(l).remove(),l=a}}setConnected(l){this._$AM===void 0&&(this._$Cv=l,this._$AP?.(l))}},me=class{get tagName(){return this.element.tagName}get _$AU(){return this._$AM._$AU}constructor(l,r,a,s,u){this.type=1,this._$AH=y,this._$AN=void 0,this.element=l,this.name=r,this._$AM=s,this.options=u,a.length>2||a[0]!==""||a[1]!==""?(this._$AH=Array(a.length-1).fill(new String),this.strings=a):this._$AH=y}_$AI(l,r=this,a,s){let u=this.strings,f=!1;if(u===void 0)l=pe(this,l,r,0),f=!Ne(l)||l!==this._$AH&&l!==Xt,f&&(this._$AH=l);else{let v=l,x,P;for(l=u[0],x=0;x<u.length-1;x++)P=pe(this,v[a+x],r,x),P===Xt&&(P=this._$AH[x]),f||=!Ne(P)||P!==this._$AH[x],P===y?l=y:l!==y&&(l+=(P??"")+u[x+1]),this._$AH[x]=P}f&&!s&&this.j(l)}j(l){l===y?this.element.removeAttribute(this.name):this.element.setAttribute(this.name,l??"")}},un=class extends me{constructor(){super(...arguments),this.type=3}j(l){this.element[this.name]=l===y?void 0:l}},fn=class extends me{constructor(){super(...arguments),this.type=4}j(l){this.element.toggleAttribute(this.name,!!l&&l!==y)}},pn=class extends me{constructor(l,r,a,s,u){super(l,r,a,s,u),this.type=5}_$AI(l,r=this){if((l=pe(this,l,r,0)??y)===Xt)return;let a=this._$AH,s=l===y&&a!==y||l.capture!==a.capture||l.once!==a.once||l.passive!==a.passive,u=l!==y&&(a===y||s);s&&this.element.removeEventListener(this.name,this,a),u&&this.element.addEventListener(this.name,this,l),this._$AH=l}handleEvent(l){typeof this._$AH=="function"?this._$AH.call(this.options?.host??this.element,l):this._$AH.handleEvent(l)}},mn=class{constructor(l,r,a){this.element=l,this.type=6,this._$AN=void 0,this._$AM=r,this.options=a}get _$AU(){return this._$AM._$AU}_$AI(l){pe(this,l)}};var ua=_n.litHtmlPolyfillSupport;ua?.(qe,He),(_n.litHtmlVersions??=[]).push("3.3.3");var tr=(d,l,r)=>{let a=r?.renderBefore??l,s=a._$litPart$;if(s===void 0){let u=r?.renderBefore??null;a._$litPart$=s=new He(l.insertBefore(Re(),u),u,void 0,r??{})}return s._$AI(d),s};var yn=globalThis,Y=class extends Zt{constructor(){super(...arguments),this.renderOptions={host:this},this._$Do=void 0}createRenderRoot(){let l=super.createRenderRoot();return this.renderOptions.renderBefore??=l.firstChild,l}update(l){let r=this.render();this.hasUpdated||(this.renderOptions.isConnected=this.isConnected),super.update(l),this._$Do=tr(r,this.renderRoot,this.renderOptions)}connectedCallback(){super.connectedCallback(),this._$Do?.setConnected(!0)}disconnectedCallback(){super.disconnectedCallback(),this._$Do?.setConnected(!1)}render(){return Xt}};Y._$litElement$=!0,Y.finalized=!0,yn.litElementHydrateSupport?.({LitElement:Y});var fa=yn.litElementPolyfillSupport;fa?.({LitElement:Y});(yn.litElementVersions??=[]).push("4.2.2");var lt=d=>(l,r)=>{r!==void 0?r.addInitializer(()=>{customElements.define(d,l)}):customElements.define(d,l)};var pa={attribute:!0,type:String,converter:Be,reflect:!1,hasChanged:fi},ma=(d=pa,l,r)=>{let{kind:a,metadata:s}=r,u=globalThis.litPropertyMetadata.get(s);if(u===void 0&&globalThis.litPropertyMetadata.set(s,u=new Map),a==="setter"&&((d=Object.create(d)).wrapped=!0),u.set(r.name,d),a==="accessor"){let{name:f}=r;return{set(v){let x=l.get.call(this);l.set.call(this,v),this.requestUpdate(f,x,d,!0,v)},init(v){return v!==void 0&&this.C(f,void 0,d,v),v}}}if(a==="setter"){let{name:f}=r;return function(v){let x=this[f];l.call(this,v),this.requestUpdate(f,x,d,!0,v)}}throw Error("Unsupported decorator location: "+a)};function M(d){return(l,r)=>typeof r=="object"?ma(d,l,r):((a,s,u)=>{let f=s.hasOwnProperty(u);return s.constructor.createProperty(u,a),f?Object.getOwnPropertyDescriptor(s,u):void 0})(d,l,r)}function N(d){return M({...d,state:!0,attribute:!1})}var _i="neighborhood_requests",Qt=`${_i}/panel`,er=(d,l)=>d.connection.subscribeMessage(l,{type:`${Qt}/subscribe`,language:d.language}),ir=(d,l,r)=>d.callWS({type:`${Qt}/request`,entry_id:l,request_id:r,language:d.language}),nr=(d,l,r,a)=>d.callWS({type:`${Qt}/preview`,entry_id:l,request_id:r,camera:a,language:d.language}),or=(d,l,r,a,s,u=!1)=>d.callWS({type:`${Qt}/respond`,entry_id:l,request_id:r,decision:a,...s?{cameras:s}:{},include_audio:u,language:d.language}),rr=(d,l)=>d.callWS({type:`${Qt}/history`,entry_id:l,language:d.language}),sr=(d,l)=>d.callWS({type:`${Qt}/transparency`,entry_id:l,language:d.language}),ar=(d,l)=>d.callWS({type:`${Qt}/audit`,entry_id:l,language:d.language}),lr=(d,l)=>d.callWS({type:`${_i}/pairing/create`,group:l}),hr=d=>d.callWS({type:`${_i}/recipients`}),dr=(d,l)=>d.callWS({type:`${_i}/recipients`,unlink:l}),it=d=>d&&typeof d=="object"&&"code"in d&&"message"in d?{code:String(d.code),message:String(d.message)}:{code:"unknown_error",message:String(d)};var cr,ur=()=>customElements.get("ha-switch")&&customElements.get("ha-checkbox")?Promise.resolve():(cr??=(async()=>{try{await customElements.whenDefined("partial-panel-resolver");let d=document.createElement("partial-panel-resolver");d.hass={panels:[{url_path:"tmp",component_name:"config"}]},d._updateRoutes(),await d.routerOptions.routes.tmp.load?.(),await customElements.whenDefined("ha-panel-config"),await document.createElement("ha-panel-config").routerOptions.routes.automation.load?.()}catch{}})(),cr),_e=d=>customElements.get(d)!==void 0,fr=(d,l,r,a,s=!1)=>_`<label class="toggle" for=${a}>
  ${_e("ha-switch")?_`<ha-switch
        id=${a}
        .checked=${d}
        ?disabled=${s}
        @change=${u=>l(u.target.checked)}
      ></ha-switch>`:_`<input
        type="checkbox"
        id=${a}
        .checked=${d}
        ?disabled=${s}
        @change=${u=>l(u.target.checked)}
      />`}
  <span>${r}</span>
</label>`,pr=(d,l,r,a,s=!1)=>_`<label class="toggle" for=${a}>
  ${_e("ha-checkbox")?_`<ha-checkbox
        id=${a}
        .checked=${d}
        ?disabled=${s}
        @change=${u=>l(u.target.checked)}
      ></ha-checkbox>`:_`<input
        type="checkbox"
        id=${a}
        .checked=${d}
        ?disabled=${s}
        @change=${u=>l(u.target.checked)}
      />`}
  <span>${r}</span>
</label>`,ge=d=>_e("ha-icon")?_`<ha-icon .icon=${d}></ha-icon>`:y,Ft=(d,l=!1)=>{l?history.replaceState(null,"",d):history.pushState(null,"",d),window.dispatchEvent(new CustomEvent("location-changed",{detail:{replace:l}}))},dt=(d,l,{variant:r="brand",appearance:a="accent",disabled:s=!1,id:u}={})=>_e("ha-button")?_`<ha-button
        id=${u??""}
        variant=${r}
        appearance=${a}
        ?disabled=${s}
        @click=${l}
        >${d}</ha-button
      >`:_`<button
        id=${u??""}
        class="btn ${r} ${a}"
        ?disabled=${s}
        @click=${l}
      >
        ${d}
      </button>`;var mr={"panel.title":"Videoanfragen","panel.loading":"Wird geladen …","panel.not_allowed_title":"Für dich nicht verfügbar","panel.not_allowed":"Nur wer über Videoanfragen entscheiden darf (und Administratoren, für Verlauf, Bericht und Telegram-Verknüpfungen), kann diese Seite nutzen. Bitte den Eigentümer dieses Zuhauses, dich in den Optionen der Integration als entscheidende Person einzutragen.","tab.requests":"Anfragen","tab.history":"Verlauf","tab.report":"Transparenz","tab.telegram":"Telegram","requests.open":"Offene Anfragen","requests.map":"Karte der offenen Anfragen","requests.count_one":"{count} offene Anfrage","requests.count_other":"{count} offene Anfragen","requests.none":"Keine Anfrage wartet auf dich. Wenn die Polizei oder eine Nachbarschaftsgruppe um Video aus der Nähe deines Zuhauses bittet, erscheint es hier und in deinen Benachrichtigungen.","requests.on_hold":"{publisher} hat seine Signaturschlüssel geändert: Seine Anfragen ruhen, bis du unter Einstellungen → System → Reparaturen den neuen Schlüsseln vertraust.","requests.paused":"Neue Anfragen von {publisher} sind pausiert: Sie werden festgehalten, nicht angezeigt.","map.home":"Dein Zuhause","map.camera":"Kamera","request.back":"Zurück","request.case":"Aktenzeichen {case}","request.about":"Worum gebeten wird","request.incident":"Vorfall","request.case_number":"Aktenzeichen","request.no_case":"keines angegeben","request.legal_basis":"Rechtsgrundlage","request.window":"Erbetene Aufnahmen","request.length":"{length} Video","request.distance":"Entfernung","request.home_inside":"Dein Zuhause liegt im angefragten Gebiet","request.distance_edge":"{distance} von deinem Zuhause bis zum angefragten Gebiet","request.distance_short":"{distance} entfernt","request.distance_centre":"{distance} bis zur Mitte des Gebiets","request.expires":"Läuft ab","request.expires_in":"noch {time} gültig","request.expired_now":"abgelaufen","request.audio":"Ton","request.audio_asked":"erbeten (du entscheidest)","request.audio_not_asked":"nicht erbeten","request.upload_host":"Clips gingen an","request.contact":"Kontakt","request.links":"Mehr dazu","request.request_id":"Anfrage","request.revision":"Revision {revision}","publisher.title":"Wer fragt","publisher.verified":"Signatur geprüft","publisher.unverified":"Nicht geprüft","publisher.verified_help":"Diese Anfrage ist mit dem Schlüssel signiert, dem du für diesen Herausgeber vertraust.","publisher.unverified_help":"Dieser Feed ist nicht signiert: Jeder, der ihn ändern kann, könnte diese Anfrage geschrieben haben.","publisher.fingerprint_one":"Schlüssel-Fingerabdruck","publisher.fingerprint_other":"Schlüssel-Fingerabdrücke","publisher.feed":"Feed","publisher_kinds.law_enforcement":"Polizei und Strafverfolgung","publisher_kinds.community":"Nachbarschaftsgruppe","publisher_kinds.other":"Sonstige","legal_bases.voluntary":"Freiwillige Anfrage","legal_bases.warrant":"Durchsuchungsbeschluss","legal_bases.subpoena":"Vorladung","legal_bases.court_order":"Gerichtsbeschluss","incident_types.package_theft":"Paketdiebstahl","incident_types.burglary":"Einbruch","incident_types.vehicle_break_in":"Autoaufbruch","incident_types.hit_and_run":"Unfallflucht","incident_types.vandalism":"Vandalismus","incident_types.theft":"Diebstahl","incident_types.assault":"Körperverletzung","incident_types.missing_person":"Vermisste Person","footage.title":"Erst die Aufnahmen ansehen","footage.help":"Die Aufnahme jeder Kamera, genau für das erbetene Zeitfenster. Ansehen sendet nichts.","footage.watch":"Ansehen","footage.reload":"Neu laden","footage.exporting":"Clip wird geschnitten …","footage.presence_yes":"Aufnahmen vorhanden","footage.presence_no":"Keine Aufnahmen","footage.presence_unknown":"Aufnahmen nicht geprüft","footage.timeline":"Das erbetene Zeitfenster; rot ist Zeit ohne Aufnahmen","footage.gaps_one":"Die Aufnahmen haben {count} Lücke:","footage.gaps_other":"Die Aufnahmen haben {count} Lücken:","footage.complete":"Die Aufnahmen decken das ganze Zeitfenster ab ({size}).","footage.no_cameras":"Keine Kamera darf teilen: Jede verknüpfte Kamera ist auf „nie teilen“ gestellt.","footage.error":"Die Vorschau ist fehlgeschlagen","footage.error_no_footage":"Keine Aufnahmen dieser Kamera im Zeitfenster","footage.error_camera_offline":"Die Kamera ist offline","footage.error_disk_error":"Die Aufnahmen konnten nicht gelesen oder geschrieben werden (Datenträgerfehler)","decide.title":"Teilen oder ablehnen","decide.help":"Lehnst du ab, wird nichts gesendet: Der Anfragende erfährt nicht, dass du abgelehnt hast.","decide.cameras":"Zu teilende Kameras","decide.audio":"Ton mitsenden","decide.audio_asked":"Ton mitsenden (der Anfragende hat darum gebeten)","decide.share":"Teilen …","decide.decline":"Ablehnen","confirm.title":"Dieses Video senden?","confirm.intro":"„Senden“ teilt genau dies mit {host}, und nichts anderes:","confirm.cameras_one":"Kamera","confirm.cameras_other":"Kameras","confirm.footage":"Aufnahmen","confirm.audio":"Ton","confirm.audio_included":"enthalten","confirm.audio_not_included":"nicht enthalten","confirm.gaps":"Fehlt in den Aufnahmen","confirm.recipient":"Gesendet an","confirm.signed":"Mit","confirm.signed_detail":"einem Manifest (SHA-256, Kamera, Zeitfenster), signiert mit dem Schlüssel deines Zuhauses; ohne Name oder Adresse","confirm.back":"Zurück","confirm.send":"Senden","outcome.shared":"Geteilt. Deine Zustimmung ist gespeichert und die Clips werden zu {host} hochgeladen.","outcome.declined":"Abgelehnt. An {publisher} wurde nichts gesendet.","state_notice.cancelled":"Der Herausgeber hat diese Anfrage zurückgezogen.","state_notice.expired":"Diese Anfrage ist abgelaufen, bevor jemand entschieden hat.","state_notice.other":"Diese Anfrage ist {state}.","state_notice.nothing_to_send":"Es gibt nichts zu senden.","decision.shared_by":"Geteilt von {who} {where} am {when}","decision.declined_by":"Abgelehnt von {who} {where} am {when}","decision.someone":"jemandem","channel.panel":"im Browser","channel.phone":"auf dem Handy","channel.telegram":"in Telegram","channel.action":"über eine Aktion","channel.websocket":"über eine andere App","channel.unknown":"","state.pending":"wartet auf eine Entscheidung","state.shared":"geteilt","state.declined":"abgelehnt","state.rejected":"von deinen Schutzregeln abgewiesen","state.outside_area":"außerhalb deines Gebiets","state.paused":"während der Pause zurückgehalten","state.expired":"abgelaufen","state.cancelled":"zurückgezogen","delivery.title":"Zustellung","delivery.queued":"In der Warteschlange","delivery.uploading":"Wird hochgeladen","delivery.delivered":"Zugestellt","delivery.failed":"Fehlgeschlagen","delivery.expired":"Abgelaufen","delivery.withdrawn":"Zurückgezogen","delivery.held":"Zurückgehalten","delivery.reason":"Grund: {reason}","history.empty":"Noch keine Anfrage von diesem Herausgeber.","history.seen":"Erhalten {when}","history.shared_what":"Geteilt: {cameras}; Ton {audio}","history.unverified_entry":"Ein Eintrag, dessen Prüfung fehlschlug","history.open":"Öffnen","report.title":"Transparenzbericht","report.help":"Alles, worum dieser Herausgeber dieses Zuhause gebeten hat, und was daraus wurde.","report.received":"erhalten","report.median_window":"Median des erbetenen Zeitfensters","report.median_radius":"Median des erbetenen Radius","report.rejected_reasons":"Warum Anfragen abgewiesen wurden","report.skipped_one":"{count} Feed-Eintrag bat um kein Video (etwa eine Wetterwarnung)","report.skipped_other":"{count} Feed-Einträge baten um kein Video (etwa Wetterwarnungen)","audit.title":"Prüfprotokoll","audit.help":"Jedes Urteil, jede Entscheidung, jeder Export und jeder Upload steht in einem hashverketteten Protokoll. Die Prüfung nennt die erste veränderte Zeile.","audit.verify":"Prüfprotokoll prüfen","audit.running":"Wird geprüft …","audit.ok_one":"Das Prüfprotokoll ist intakt: {count} Eintrag, unverändert.","audit.ok_other":"Das Prüfprotokoll ist intakt: {count} Einträge, unverändert.","audit.broken":"Das Prüfprotokoll wurde in Zeile {line} verändert.","telegram.title":"Telegram verknüpfen","telegram.help":"Mit dem Begleit-Bot erreichen dich Anfragen in Telegram, wo du sie als du selbst ansehen, teilen oder ablehnen kannst. Ein Code verknüpft ein Telegram-Konto (oder eine Gruppe) mit dir; er gilt einmal, 10 Minuten lang.","telegram.create_personal":"Meinen Code erstellen","telegram.create_group":"Gruppencode erstellen","telegram.personal_code":"Dein persönlicher Code","telegram.group_code":"Code für einen Gruppenchat","telegram.step1":"Öffne in Telegram einen privaten Chat mit dem Bot deines Haushalts.","telegram.step2":"Sende /start.","telegram.step3":"Sende /link {code}.","telegram.group_step1":"Füge den Bot deines Haushalts der Gruppe hinzu.","telegram.group_step2":"Sende /link {code} in der Gruppe. Die Gruppe bekommt dann Anfragen; ihre Mitglieder antworten als sie selbst.","telegram.code_expired":"Der Code ist abgelaufen. Erstelle einen neuen.","telegram.linked_one":"{count} verknüpfter Chat","telegram.linked_other":"{count} verknüpfte Chats","telegram.linked_at":"verknüpft {when}","telegram.none":"Kein Telegram-Chat ist verknüpft.","telegram.kind_user":"Person","telegram.kind_group":"Gruppe","telegram.unlink":"Trennen","telegram.unlink_confirm":"{name} trennen? Dort kommen dann keine Anfragen mehr in Telegram an.","duration.days_one":"{count} Tag","duration.days_other":"{count} Tage","duration.hours_one":"{count} Stunde","duration.hours_other":"{count} Stunden","duration.minutes_one":"{count} Minute","duration.minutes_other":"{count} Minuten","duration.seconds_one":"{count} Sekunde","duration.seconds_other":"{count} Sekunden","distance.metres":"{value} m","distance.kilometres":"{value} km"};var bn={"panel.title":"Video requests","panel.loading":"Loading…","panel.not_allowed_title":"Not available to you","panel.not_allowed":"Only the people allowed to decide on video requests (and administrators, for the history, the report and Telegram links) can use this panel. Ask the owner of this home to add you as a decider in the integration's options.","tab.requests":"Requests","tab.history":"History","tab.report":"Transparency","tab.telegram":"Telegram","requests.open":"Open requests","requests.map":"Map of the open requests","requests.count_one":"{count} open request","requests.count_other":"{count} open requests","requests.none":"No request is waiting for you. When the police or a neighbourhood group ask for video near your home, it appears here and in your notifications.","requests.on_hold":"{publisher} changed its signing keys: its requests are on hold until you trust the new keys under Settings → System → Repairs.","requests.paused":"New requests from {publisher} are paused: they are recorded, not shown.","map.home":"Your home","map.camera":"Camera","request.back":"Back","request.case":"case {case}","request.about":"What is asked","request.incident":"Incident","request.case_number":"Case number","request.no_case":"none given","request.legal_basis":"Legal basis","request.window":"Footage asked for","request.length":"{length} of video","request.distance":"Distance","request.home_inside":"Your home is inside the requested area","request.distance_edge":"{distance} from your home to the requested area","request.distance_short":"{distance} away","request.distance_centre":"{distance} to the area's centre","request.expires":"Expires","request.expires_in":"expires in {time}","request.expired_now":"expired","request.audio":"Audio","request.audio_asked":"asked for (you decide)","request.audio_not_asked":"not asked for","request.upload_host":"Clips would go to","request.contact":"Contact","request.links":"More about it","request.request_id":"Request","request.revision":"revision {revision}","publisher.title":"Who asks","publisher.verified":"Signature verified","publisher.unverified":"Not verified","publisher.verified_help":"This request is signed with the key you trusted for this publisher.","publisher.unverified_help":"This feed is unsigned: anyone who can change it could have written this request.","publisher.fingerprint_one":"Key fingerprint","publisher.fingerprint_other":"Key fingerprints","publisher.feed":"Feed","publisher_kinds.law_enforcement":"Law enforcement","publisher_kinds.community":"Community group","publisher_kinds.other":"Other","legal_bases.voluntary":"Voluntary request","legal_bases.warrant":"Warrant","legal_bases.subpoena":"Subpoena","legal_bases.court_order":"Court order","incident_types.package_theft":"Package theft","incident_types.burglary":"Burglary","incident_types.vehicle_break_in":"Vehicle break-in","incident_types.hit_and_run":"Hit and run","incident_types.vandalism":"Vandalism","incident_types.theft":"Theft","incident_types.assault":"Assault","incident_types.missing_person":"Missing person","footage.title":"Watch the footage first","footage.help":"Each camera's recording of exactly the window asked for. Watching it sends nothing.","footage.watch":"Watch","footage.reload":"Load again","footage.exporting":"Cutting the clip…","footage.presence_yes":"Footage recorded","footage.presence_no":"No footage","footage.presence_unknown":"Footage not checked","footage.timeline":"The window asked for; red marks time without footage","footage.gaps_one":"The footage has {count} gap:","footage.gaps_other":"The footage has {count} gaps:","footage.complete":"Footage covers the whole window ({size}).","footage.no_cameras":"No camera may share: every linked camera is set to never share.","footage.error":"The preview failed","footage.error_no_footage":"No footage of this camera in the window","footage.error_camera_offline":"The camera is offline","footage.error_disk_error":"The footage could not be read or written (disk error)","decide.title":"Share or decline","decide.help":"Decline, and nothing is sent: the requester does not learn that you declined.","decide.cameras":"Cameras to share","decide.audio":"Include audio","decide.audio_asked":"Include audio (the requester asked for it)","decide.share":"Share…","decide.decline":"Decline","confirm.title":"Send this video?","confirm.intro":"Send shares exactly this with {host}, and nothing else:","confirm.cameras_one":"Camera","confirm.cameras_other":"Cameras","confirm.footage":"Footage","confirm.audio":"Audio","confirm.audio_included":"included","confirm.audio_not_included":"not included","confirm.gaps":"Missing from the footage","confirm.recipient":"Sent to","confirm.signed":"With","confirm.signed_detail":"a manifest (SHA-256, camera, window) signed by your home's key; no name or address","confirm.back":"Back","confirm.send":"Send","outcome.shared":"Shared. Your consent is recorded and the clips are being uploaded to {host}.","outcome.declined":"Declined. Nothing was sent to {publisher}.","state_notice.cancelled":"The publisher withdrew this request.","state_notice.expired":"This request expired before anyone decided.","state_notice.other":"This request is {state}.","state_notice.nothing_to_send":"There is nothing to send.","decision.shared_by":"Shared by {who} {where} on {when}","decision.declined_by":"Declined by {who} {where} on {when}","decision.someone":"someone","channel.panel":"in the browser","channel.phone":"on a phone","channel.telegram":"in Telegram","channel.action":"through an action","channel.websocket":"through another app","channel.unknown":"","state.pending":"waiting for a decision","state.shared":"shared","state.declined":"declined","state.rejected":"refused by your guardrails","state.outside_area":"outside your area","state.paused":"held while paused","state.expired":"expired","state.cancelled":"withdrawn","delivery.title":"Delivery","delivery.queued":"Queued","delivery.uploading":"Uploading","delivery.delivered":"Delivered","delivery.failed":"Failed","delivery.expired":"Expired","delivery.withdrawn":"Withdrawn","delivery.held":"On hold","delivery.reason":"Why: {reason}","history.empty":"No request from this publisher yet.","history.seen":"Received {when}","history.shared_what":"Shared: {cameras}; audio {audio}","history.unverified_entry":"An entry that failed verification","history.open":"Open","report.title":"Transparency report","report.help":"Everything this publisher asked of this home, and what the home did about it.","report.received":"received","report.median_window":"Median window asked for","report.median_radius":"Median radius asked for","report.rejected_reasons":"Why requests were refused","report.skipped_one":"{count} feed entry asked for no video (a weather alert, say)","report.skipped_other":"{count} feed entries asked for no video (weather alerts, say)","audit.title":"Audit log","audit.help":"Every verdict, decision, export and upload is in a hash-chained log. Verification names the first line that was altered.","audit.verify":"Verify the audit log","audit.running":"Verifying…","audit.ok_one":"The audit log is intact: {count} entry, unaltered.","audit.ok_other":"The audit log is intact: {count} entries, unaltered.","audit.broken":"The audit log was altered at line {line}.","telegram.title":"Link Telegram","telegram.help":"With the companion bot, requests reach you in Telegram, where you can preview, share or decline as yourself. A code links one Telegram account (or group) to you; it works once, for 10 minutes.","telegram.create_personal":"Create my code","telegram.create_group":"Create a group code","telegram.personal_code":"Your personal code","telegram.group_code":"Code for a group chat","telegram.step1":"Open a private chat with your household's bot in Telegram.","telegram.step2":"Send /start.","telegram.step3":"Send /link {code}.","telegram.group_step1":"Add your household's bot to the group.","telegram.group_step2":"Send /link {code} in the group. The group then gets requests; its members answer as themselves.","telegram.code_expired":"The code expired. Create a new one.","telegram.linked_one":"{count} linked chat","telegram.linked_other":"{count} linked chats","telegram.linked_at":"linked {when}","telegram.none":"No Telegram chat is linked.","telegram.kind_user":"Person","telegram.kind_group":"Group","telegram.unlink":"Unlink","telegram.unlink_confirm":"Unlink {name}? They no longer get requests in Telegram.","duration.days_one":"{count} day","duration.days_other":"{count} days","duration.hours_one":"{count} hour","duration.hours_other":"{count} hours","duration.minutes_one":"{count} minute","duration.minutes_other":"{count} minutes","duration.seconds_one":"{count} second","duration.seconds_other":"{count} seconds","distance.metres":"{value} m","distance.kilometres":"{value} km"};var _r={"panel.title":"Solicitudes de vídeo","panel.loading":"Cargando…","panel.not_allowed_title":"No disponible para ti","panel.not_allowed":"Solo quienes pueden decidir sobre las solicitudes de vídeo (y los administradores, para el historial, el informe y los enlaces de Telegram) pueden usar este panel. Pide al propietario de esta casa que te añada como persona que decide en las opciones de la integración.","tab.requests":"Solicitudes","tab.history":"Historial","tab.report":"Transparencia","tab.telegram":"Telegram","requests.open":"Solicitudes abiertas","requests.map":"Mapa de las solicitudes abiertas","requests.count_one":"{count} solicitud abierta","requests.count_other":"{count} solicitudes abiertas","requests.none":"Ninguna solicitud te espera. Cuando la policía o un grupo vecinal pida vídeo cerca de tu casa, aparecerá aquí y en tus notificaciones.","requests.on_hold":"{publisher} cambió sus claves de firma: sus solicitudes quedan en espera hasta que confíes en las claves nuevas en Ajustes → Sistema → Reparaciones.","requests.paused":"Las solicitudes nuevas de {publisher} están en pausa: se registran, no se muestran.","map.home":"Tu casa","map.camera":"Cámara","request.back":"Volver","request.case":"caso {case}","request.about":"Qué se pide","request.incident":"Incidente","request.case_number":"Número de caso","request.no_case":"ninguno","request.legal_basis":"Base legal","request.window":"Grabación solicitada","request.length":"{length} de vídeo","request.distance":"Distancia","request.home_inside":"Tu casa está dentro de la zona solicitada","request.distance_edge":"{distance} de tu casa a la zona solicitada","request.distance_short":"a {distance}","request.distance_centre":"{distance} al centro de la zona","request.expires":"Caduca","request.expires_in":"caduca en {time}","request.expired_now":"caducada","request.audio":"Audio","request.audio_asked":"solicitado (tú decides)","request.audio_not_asked":"no solicitado","request.upload_host":"Los clips irían a","request.contact":"Contacto","request.links":"Más información","request.request_id":"Solicitud","request.revision":"revisión {revision}","publisher.title":"Quién lo pide","publisher.verified":"Firma verificada","publisher.unverified":"No verificada","publisher.verified_help":"Esta solicitud está firmada con la clave en la que confiaste para este editor.","publisher.unverified_help":"Este feed no está firmado: cualquiera que pueda modificarlo podría haber escrito esta solicitud.","publisher.fingerprint_one":"Huella de la clave","publisher.fingerprint_other":"Huellas de las claves","publisher.feed":"Feed","publisher_kinds.law_enforcement":"Fuerzas del orden","publisher_kinds.community":"Grupo vecinal","publisher_kinds.other":"Otro","legal_bases.voluntary":"Solicitud voluntaria","legal_bases.warrant":"Orden de registro","legal_bases.subpoena":"Citación","legal_bases.court_order":"Orden judicial","incident_types.package_theft":"Robo de paquete","incident_types.burglary":"Robo en vivienda","incident_types.vehicle_break_in":"Robo en vehículo","incident_types.hit_and_run":"Atropello con fuga","incident_types.vandalism":"Vandalismo","incident_types.theft":"Hurto","incident_types.assault":"Agresión","incident_types.missing_person":"Persona desaparecida","footage.title":"Mira primero la grabación","footage.help":"La grabación de cada cámara, exactamente para la franja solicitada. Verla no envía nada.","footage.watch":"Ver","footage.reload":"Cargar de nuevo","footage.exporting":"Cortando el clip…","footage.presence_yes":"Hay grabación","footage.presence_no":"Sin grabación","footage.presence_unknown":"Grabación sin comprobar","footage.timeline":"La franja solicitada; en rojo, el tiempo sin grabación","footage.gaps_one":"La grabación tiene {count} hueco:","footage.gaps_other":"La grabación tiene {count} huecos:","footage.complete":"La grabación cubre toda la franja ({size}).","footage.no_cameras":"Ninguna cámara puede compartir: todas las cámaras vinculadas están en «nunca compartir».","footage.error":"La vista previa falló","footage.error_no_footage":"No hay grabación de esta cámara en la franja","footage.error_camera_offline":"La cámara está desconectada","footage.error_disk_error":"No se pudo leer ni escribir la grabación (error de disco)","decide.title":"Compartir o rechazar","decide.help":"Si rechazas, no se envía nada: quien lo pide no sabe que has rechazado.","decide.cameras":"Cámaras a compartir","decide.audio":"Incluir audio","decide.audio_asked":"Incluir audio (quien lo pide lo solicitó)","decide.share":"Compartir…","decide.decline":"Rechazar","confirm.title":"¿Enviar este vídeo?","confirm.intro":"«Enviar» comparte exactamente esto con {host}, y nada más:","confirm.cameras_one":"Cámara","confirm.cameras_other":"Cámaras","confirm.footage":"Grabación","confirm.audio":"Audio","confirm.audio_included":"incluido","confirm.audio_not_included":"no incluido","confirm.gaps":"Falta en la grabación","confirm.recipient":"Se envía a","confirm.signed":"Con","confirm.signed_detail":"un manifiesto (SHA-256, cámara, franja) firmado con la clave de tu casa; sin nombre ni dirección","confirm.back":"Volver","confirm.send":"Enviar","outcome.shared":"Compartido. Tu consentimiento queda registrado y los clips se están subiendo a {host}.","outcome.declined":"Rechazado. No se envió nada a {publisher}.","state_notice.cancelled":"El editor retiró esta solicitud.","state_notice.expired":"Esta solicitud caducó antes de que nadie decidiera.","state_notice.other":"Esta solicitud está {state}.","state_notice.nothing_to_send":"No hay nada que enviar.","decision.shared_by":"Compartido por {who} {where} el {when}","decision.declined_by":"Rechazado por {who} {where} el {when}","decision.someone":"alguien","channel.panel":"en el navegador","channel.phone":"en el móvil","channel.telegram":"en Telegram","channel.action":"mediante una acción","channel.websocket":"desde otra aplicación","channel.unknown":"","state.pending":"pendiente de decisión","state.shared":"compartida","state.declined":"rechazada","state.rejected":"rechazada por tus reglas","state.outside_area":"fuera de tu zona","state.paused":"retenida durante la pausa","state.expired":"caducada","state.cancelled":"retirada","delivery.title":"Entrega","delivery.queued":"En cola","delivery.uploading":"Subiendo","delivery.delivered":"Entregado","delivery.failed":"Fallido","delivery.expired":"Caducado","delivery.withdrawn":"Retirado","delivery.held":"En espera","delivery.reason":"Motivo: {reason}","history.empty":"Todavía no hay solicitudes de este editor.","history.seen":"Recibida {when}","history.shared_what":"Compartido: {cameras}; audio {audio}","history.unverified_entry":"Una entrada que no superó la verificación","history.open":"Abrir","report.title":"Informe de transparencia","report.help":"Todo lo que este editor pidió a esta casa y lo que la casa hizo al respecto.","report.received":"recibidas","report.median_window":"Mediana de la franja solicitada","report.median_radius":"Mediana del radio solicitado","report.rejected_reasons":"Por qué se rechazaron solicitudes","report.skipped_one":"{count} entrada del feed no pedía vídeo (por ejemplo, un aviso meteorológico)","report.skipped_other":"{count} entradas del feed no pedían vídeo (por ejemplo, avisos meteorológicos)","audit.title":"Registro de auditoría","audit.help":"Cada veredicto, decisión, exportación y subida queda en un registro encadenado por hash. La verificación indica la primera línea alterada.","audit.verify":"Verificar el registro de auditoría","audit.running":"Verificando…","audit.ok_one":"El registro de auditoría está intacto: {count} entrada, sin alterar.","audit.ok_other":"El registro de auditoría está intacto: {count} entradas, sin alterar.","audit.broken":"El registro de auditoría fue alterado en la línea {line}.","telegram.title":"Vincular Telegram","telegram.help":"Con el bot complementario, las solicitudes te llegan por Telegram, donde puedes ver, compartir o rechazar como tú mismo. Un código vincula una cuenta de Telegram (o un grupo) contigo; sirve una vez, durante 10 minutos.","telegram.create_personal":"Crear mi código","telegram.create_group":"Crear un código de grupo","telegram.personal_code":"Tu código personal","telegram.group_code":"Código para un chat de grupo","telegram.step1":"Abre en Telegram un chat privado con el bot de tu casa.","telegram.step2":"Envía /start.","telegram.step3":"Envía /link {code}.","telegram.group_step1":"Añade el bot de tu casa al grupo.","telegram.group_step2":"Envía /link {code} en el grupo. El grupo recibirá las solicitudes; sus miembros responden como ellos mismos.","telegram.code_expired":"El código caducó. Crea uno nuevo.","telegram.linked_one":"{count} chat vinculado","telegram.linked_other":"{count} chats vinculados","telegram.linked_at":"vinculado {when}","telegram.none":"No hay ningún chat de Telegram vinculado.","telegram.kind_user":"Persona","telegram.kind_group":"Grupo","telegram.unlink":"Desvincular","telegram.unlink_confirm":"¿Desvincular a {name}? Dejará de recibir solicitudes en Telegram.","duration.days_one":"{count} día","duration.days_other":"{count} días","duration.hours_one":"{count} hora","duration.hours_other":"{count} horas","duration.minutes_one":"{count} minuto","duration.minutes_other":"{count} minutos","duration.seconds_one":"{count} segundo","duration.seconds_other":"{count} segundos","distance.metres":"{value} m","distance.kilometres":"{value} km"};var wn={en:bn,de:mr,es:_r},gr="neighborhood_requests",ya=d=>{let l=(d.locale?.language||d.language||"en").toLowerCase();if(l in wn)return l;let r=l.split("-")[0];return r in wn?r:"en"},gi=class{constructor(l){this.server={};this.language=ya(l),this.strings=wn[this.language],this.plurals=new Intl.PluralRules(this.language)}async loadServerLabels(l){try{let r=await l.callWS({type:"frontend/get_translations",language:this.language,category:"selector",integration:[gr]});this.server=r.resources??{}}catch{this.server={}}}t(l,r={}){let a;if(typeof r.count=="number"){let s=this.plurals.select(r.count);a=this.strings[`${l}_${s}`]??this.strings[`${l}_other`]}return a??=this.strings[l]??bn[l]??l,a.replace(/\{(\w+)\}/g,(s,u)=>u in r?String(r[u]):s)}label(l,r){let a=this.server[`component.${gr}.selector.${l}.options.${r}`];if(a)return a;let s=this.strings[`${l}.${r}`];return s||ba(r)}},ba=d=>{let l=d.replace(/[_-]+/g," ").trim();return l?l[0].toUpperCase()+l.slice(1):d};var gt=X`
  :host {
    color: var(--primary-text-color);
    font-family: var(--ha-font-family-body, var(--paper-font-body1_-_font-family, Roboto, sans-serif));
  }
  ha-card,
  .card {
    display: block;
    background: var(--ha-card-background, var(--card-background-color, #fff));
    border-radius: var(--ha-card-border-radius, 12px);
    border: var(--ha-card-border-width, 1px) solid var(--ha-card-border-color, var(--divider-color, #e0e0e0));
    box-shadow: var(--ha-card-box-shadow, none);
    color: var(--primary-text-color);
    margin-bottom: 16px;
  }
  .card-content {
    padding: 16px;
  }
  h1,
  h2,
  h3 {
    font-weight: 500;
    margin: 0 0 8px;
  }
  h2 {
    font-size: 20px;
  }
  h3 {
    font-size: 16px;
  }
  .secondary {
    color: var(--secondary-text-color);
  }
  .mono {
    font-family: var(--ha-font-family-code, monospace);
    font-size: 0.9em;
    word-break: break-all;
  }
  .badge {
    display: inline-flex;
    align-items: center;
    gap: 4px;
    border-radius: 12px;
    padding: 2px 10px;
    font-size: 13px;
    font-weight: 500;
    line-height: 20px;
    white-space: nowrap;
  }
  .badge.ok {
    background: rgba(var(--rgb-success-color, 67, 160, 71), 0.15);
    color: var(--success-color, #43a047);
  }
  .badge.warn {
    background: rgba(var(--rgb-warning-color, 255, 166, 0), 0.15);
    color: var(--warning-color, #ffa600);
  }
  .badge.bad {
    background: rgba(var(--rgb-error-color, 219, 68, 55), 0.15);
    color: var(--error-color, #db4437);
  }
  .badge.info {
    background: rgba(var(--rgb-primary-color, 3, 169, 244), 0.15);
    color: var(--primary-color, #03a9f4);
  }
  dl.facts {
    display: grid;
    grid-template-columns: minmax(120px, max-content) 1fr;
    gap: 8px 16px;
    margin: 0;
  }
  dl.facts dt {
    color: var(--secondary-text-color);
  }
  dl.facts dd {
    margin: 0;
    min-width: 0;
    overflow-wrap: anywhere;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
    justify-content: flex-end;
    padding: 8px 16px 16px;
  }
  .notice {
    border-radius: 8px;
    padding: 12px 16px;
    margin-bottom: 16px;
    border-left: 4px solid var(--primary-color);
    background: rgba(var(--rgb-primary-color, 3, 169, 244), 0.08);
  }
  .notice.error {
    border-color: var(--error-color, #db4437);
    background: rgba(var(--rgb-error-color, 219, 68, 55), 0.08);
  }
  .notice.warn {
    border-color: var(--warning-color, #ffa600);
    background: rgba(var(--rgb-warning-color, 255, 166, 0), 0.1);
  }
  .notice.ok {
    border-color: var(--success-color, #43a047);
    background: rgba(var(--rgb-success-color, 67, 160, 71), 0.1);
  }
  table {
    border-collapse: collapse;
    width: 100%;
  }
  th,
  td {
    text-align: left;
    padding: 8px;
    border-bottom: 1px solid var(--divider-color, #e0e0e0);
    vertical-align: top;
  }
  th {
    color: var(--secondary-text-color);
    font-weight: 500;
  }
  a {
    color: var(--primary-color);
  }
  button.link {
    background: none;
    border: none;
    padding: 0;
    color: var(--primary-color);
    font: inherit;
    cursor: pointer;
    text-align: left;
  }
`,Et=X`
  label.toggle {
    display: flex;
    align-items: center;
    gap: 8px;
    min-height: 40px;
    cursor: pointer;
  }
  button.btn {
    font: inherit;
    font-weight: 500;
    border-radius: 18px;
    padding: 0 16px;
    height: 36px;
    cursor: pointer;
    border: 1px solid var(--primary-color);
    background: var(--primary-color);
    color: var(--text-primary-color, #fff);
  }
  button.btn.plain,
  button.btn.outlined {
    background: transparent;
    color: var(--primary-color);
  }
  button.btn.plain {
    border-color: transparent;
  }
  button.btn.danger {
    border-color: var(--error-color, #db4437);
    background: var(--error-color, #db4437);
  }
  button.btn.danger.plain,
  button.btn.danger.outlined {
    background: transparent;
    color: var(--error-color, #db4437);
  }
  button.btn[disabled] {
    opacity: 0.5;
    cursor: default;
  }
`;var vr=new Map,vi=(d,l)=>{let r=`${d}|${JSON.stringify(l)}`,a=vr.get(r);return a||(a=new Intl.DateTimeFormat(d,l),vr.set(r,a)),a},yi=d=>d.locale?.time_zone==="server"?d.config.time_zone:void 0,xn=d=>{switch(d.locale?.time_format){case"12":return!0;case"24":return!1;default:return}},Bt=(d,l)=>vi(d.locale?.language||d.language,{dateStyle:"medium",timeStyle:"short",hour12:xn(d),timeZone:yi(d)}).format(new Date(l)),te=(d,l)=>vi(d.locale?.language||d.language,{hour:"numeric",minute:"2-digit",hour12:xn(d),timeZone:yi(d)}).format(new Date(l)),wa=(d,l)=>vi(d.locale?.language||d.language,{timeZoneName:"short",timeZone:yi(d)}).formatToParts(new Date(l)).find(a=>a.type==="timeZoneName")?.value??"",ee=(d,l,r)=>{let a=d.locale?.language||d.language,s={dateStyle:"medium",timeStyle:"short",hour12:xn(d),timeZone:yi(d)};return`${vi(a,s).formatRange(new Date(l),new Date(r))} ${wa(d,l)}`},ie=(d,l)=>{let r=Math.max(0,Math.round(l));if(r>=2*86400){let v=Math.floor(r/86400),x=Math.floor(r%86400/3600),P=[d.t("duration.days",{count:v})];return x&&P.push(d.t("duration.hours",{count:x})),P.join(" ")}let a=Math.floor(r/3600),s=Math.floor(r%3600/60),u=r%60,f=[];return a&&f.push(d.t("duration.hours",{count:a})),s&&f.push(d.t("duration.minutes",{count:s})),(u||!f.length)&&f.push(d.t("duration.seconds",{count:u})),f.join(" ")},ne=(d,l,r)=>{let a=d.locale?.language||d.language;return r<1e3?l.t("distance.metres",{value:new Intl.NumberFormat(a).format(r)}):l.t("distance.kilometres",{value:new Intl.NumberFormat(a,{maximumFractionDigits:1}).format(r/1e3)})},bi=(d,l)=>{let r=d.locale?.language||d.language,a=["B","kB","MB","GB"],s=l,u=0;for(;s>=1e3&&u<a.length-1;)s/=1e3,u+=1;return`${new Intl.NumberFormat(r,{maximumFractionDigits:u?1:0}).format(s)} ${a[u]}`},ve=(d,l,r=Date.now())=>{let a=(new Date(l).getTime()-r)/1e3;if(a<=0)return d.t("request.expired_now");let s=a>=3600?Math.floor(a/60)*60:Math.ceil(a);return d.t("request.expires_in",{time:ie(d,s)})};var wi=(d,l,r)=>l.t(r.decision==="share"?"decision.shared_by":"decision.declined_by",{who:r.by??l.t("decision.someone"),where:l.t(`channel.${r.channel??"unknown"}`),when:Bt(d,r.at)}),xa={delivered:"ok",failed:"bad",expired:"bad",withdrawn:"bad",held:"warn"},xi=(d,l,r,a)=>r.length?_`<ul class="deliveries">
        ${r.map(s=>_`<li>
            <strong>${a(s.camera)}</strong>
            <span class="badge ${xa[s.state]??"info"}"
              >${l.t(`delivery.${s.state}`)}</span
            >
            <span class="secondary">${Bt(d,s.at)}</span>
            ${s.reason?_`<div>${l.t("delivery.reason",{reason:s.reason})}</div>`:y}
            <div class="secondary">
              ${bi(d,s.bytes)} · SHA-256
              <span class="mono">${s.sha256}</span>
            </div>
          </li>`)}
      </ul>`:y;var Pa={pending:"info",shared:"ok",declined:"warn",rejected:"bad",expired:"bad",cancelled:"bad"},wt=class extends Y{constructor(){super(...arguments);this.prefix="";this.rows={}}willUpdate(r){r.has("overview")&&this.load()}async load(){try{let r=this.overview.feeds.filter(s=>s.permissions.report),a=await Promise.all(r.map(async s=>[s.entry_id,(await rr(this.hass,s.entry_id)).requests]));this.rows=Object.fromEntries(a),this.error=void 0}catch(r){this.error=it(r)}}render(){let r=this.l;return this.error?_`<div class="notice error">${this.error.message}</div>`:_`${this.overview.feeds.filter(a=>a.permissions.report).map(a=>{let s=this.rows[a.entry_id]??[];return _`<section>
          <h2>${a.publisher.name}</h2>
          ${s.length?s.map(u=>this.renderRow(u)):_`<div class="card"><div class="card-content secondary">${r.t("history.empty")}</div></div>`}
        </section>`})}`}renderRow(r){let a=this.l,s=f=>this.hass.states[f]?.attributes.friendly_name?.toString()??f,u=r.incident&&r.request_id&&this.overview.feeds.some(f=>f.entry_id===r.entry_id&&f.permissions.view);return _`<article class="card" data-request=${r.request_id??""}>
      <div class="card-content">
        <div class="head">
          <span class="incident">
            ${r.incident?a.label("incident_types",r.incident.type):a.t("history.unverified_entry")}
            ${r.incident?.case_number?_`<span class="secondary">· ${a.t("request.case",{case:r.incident.case_number})}</span>`:y}
          </span>
          <span class="badge ${Pa[r.state]??"info"}">${a.t(`state.${r.state}`)}</span>
        </div>
        <div class="secondary">
          ${a.t("history.seen",{when:Bt(this.hass,r.first_seen)})}
          ${r.window?_` · ${ee(this.hass,r.window.start,r.window.end)}`:y}
        </div>
        ${r.decision?_`<div class="decision">${wi(this.hass,a,r.decision)}</div>`:y}
        ${r.decision?.decision==="share"?_`<div class="secondary">
              ${a.t("history.shared_what",{cameras:r.decision.cameras.map(s).join(", "),audio:r.decision.include_audio?a.t("confirm.audio_included"):a.t("confirm.audio_not_included")})}
            </div>`:y}
        ${xi(this.hass,a,r.deliveries,s)}
        ${r.reasons.length?_`<ul class="reasons secondary">${r.reasons.map(f=>_`<li>${f.reason}</li>`)}</ul>`:y}
        ${u?_`<button
              class="link"
              @click=${()=>Ft(`${this.prefix}/request/${r.entry_id}/${encodeURIComponent(r.request_id)}`)}
            >
              ${a.t("history.open")}
            </button>`:y}
      </div>
    </article>`}};wt.styles=[gt,Et,X`
      .head {
        display: flex;
        justify-content: space-between;
        gap: 8px;
        flex-wrap: wrap;
        align-items: baseline;
      }
      .incident {
        font-weight: 500;
        font-size: 16px;
      }
      .decision {
        margin-top: 6px;
      }
      ul {
        margin: 6px 0 0;
        padding-left: 20px;
      }
    `],w([M({attribute:!1})],wt.prototype,"hass",2),w([M({attribute:!1})],wt.prototype,"l",2),w([M({attribute:!1})],wt.prototype,"overview",2),w([M()],wt.prototype,"prefix",2),w([N()],wt.prototype,"rows",2),w([N()],wt.prototype,"error",2),wt=w([lt("nr-history-view")],wt);var ka=["received","pending","shared","declined","expired","cancelled","rejected","outside_area","paused"],xt=class extends Y{constructor(){super(...arguments);this.reports={};this.audits={}}willUpdate(r){r.has("overview")&&this.load()}async load(){try{let r=this.overview.feeds.filter(s=>s.permissions.report),a=await Promise.all(r.map(async s=>[s.entry_id,await sr(this.hass,s.entry_id)]));this.reports=Object.fromEntries(a)}catch(r){this.error=it(r)}}async verify(r){this.audits={...this.audits,[r.entry_id]:"running"};let a;try{a=await ar(this.hass,r.entry_id)}catch(s){a={error:it(s)}}this.audits={...this.audits,[r.entry_id]:a}}render(){return this.error?_`<div class="notice error">${this.error.message}</div>`:_`${this.overview.feeds.map(r=>this.renderFeed(r))}`}renderFeed(r){let a=this.l,s=this.reports[r.entry_id],u=s?.rejected_reasons??{},f=s?.median_window_minutes,v=s?.median_radius_m;return _`<section class="card">
      <div class="card-content">
        <h2>${r.publisher.name}</h2>
        ${r.permissions.report&&s?_`<h3>${a.t("report.title")}</h3>
              <p class="secondary">${a.t("report.help")}</p>
              <div class="counts">
                ${ka.map(x=>_`<div class="count">
                    <div class="number">${Number(s[x]??0)}</div>
                    <div class="secondary">${a.t(x==="received"?"report.received":`state.${x}`)}</div>
                  </div>`)}
              </div>
              <dl class="facts">
                <dt>${a.t("report.median_window")}</dt>
                <dd>${f!=null?ie(a,f*60):"–"}</dd>
                <dt>${a.t("report.median_radius")}</dt>
                <dd>${v!=null?ne(this.hass,a,v):"–"}</dd>
              </dl>
              ${Number(s.skipped??0)?_`<p class="secondary" data-skipped=${Number(s.skipped)}>
                    ${a.t("report.skipped",{count:Number(s.skipped)})}
                  </p>`:y}
              ${Object.keys(u).length?_`<h3>${a.t("report.rejected_reasons")}</h3>
                    <ul>${Object.entries(u).map(([x,P])=>_`<li>${x}: ${P}</li>`)}</ul>`:y}`:y}
        ${r.permissions.audit?this.renderAudit(r):y}
      </div>
    </section>`}renderAudit(r){let a=this.l,s=this.audits[r.entry_id],u=_``;return s==="running"?u=_`<div class="secondary">${a.t("audit.running")}</div>`:s&&"error"in s?u=_`<div class="notice error" role="alert">${s.error.message}</div>`:s&&(u=s.ok?_`<div class="notice ok" role="status">${a.t("audit.ok",{count:s.entries})}</div>`:_`<div class="notice error" role="alert">
            ${a.t("audit.broken",{line:s.first_broken_line??"?"})}
            ${s.message||s.reason?_`<div>${s.message||s.reason}</div>`:y}
          </div>`),_`<h3>${a.t("audit.title")}</h3>
      <p class="secondary">${a.t("audit.help")}</p>
      ${u}
      <div class="actions">
        ${dt(a.t("audit.verify"),()=>this.verify(r),{disabled:s==="running",id:`verify-${r.entry_id}`})}
      </div>`}};xt.styles=[gt,Et,X`
      .counts {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(110px, 1fr));
        gap: 8px;
        margin: 12px 0;
      }
      .count {
        border: 1px solid var(--divider-color);
        border-radius: 8px;
        padding: 8px;
      }
      .number {
        font-size: 24px;
      }
      h3 {
        margin-top: 16px;
      }
      .actions {
        padding: 0;
      }
    `],w([M({attribute:!1})],xt.prototype,"hass",2),w([M({attribute:!1})],xt.prototype,"l",2),w([M({attribute:!1})],xt.prototype,"overview",2),w([N()],xt.prototype,"reports",2),w([N()],xt.prototype,"audits",2),w([N()],xt.prototype,"error",2),xt=w([lt("nr-report-view")],xt);var U=class extends Y{constructor(){super(...arguments);this.entryId="";this.requestId="";this.prefix="";this.narrow=!1;this.previews={};this.audio=!1;this.confirming=!1;this.busy=!1;this.now=Date.now();this.loads=0}connectedCallback(){super.connectedCallback(),this.timer=window.setInterval(()=>{this.now=Date.now()},15e3)}disconnectedCallback(){super.disconnectedCallback(),window.clearInterval(this.timer)}willUpdate(r){(r.has("entryId")||r.has("requestId"))&&(this.request=void 0,this.previews={},this.chosen=void 0,this.audio=!1,this.confirming=!1,this.outcome=void 0,this.failure=void 0),(r.has("entryId")||r.has("requestId")||r.has("overview"))&&this.load()}async load(){let r=++this.loads;try{let a=await ir(this.hass,this.entryId,this.requestId);if(r!==this.loads)return;this.request=a,this.loadError=void 0}catch(a){r===this.loads&&(this.loadError=it(a))}}get feed(){return this.overview.feeds.find(r=>r.entry_id===this.entryId)}back(){Ft(`${this.prefix}/`)}render(){let r=this.l,a=_`<div class="back">
      ${dt(`← ${r.t("request.back")}`,()=>this.back(),{appearance:"plain"})}
    </div>`;if(this.loadError)return _`${a}<div class="notice error">${this.loadError.message}</div>`;let s=this.request,u=this.feed;if(!s||!u)return _`${a}<div class="secondary">${r.t("panel.loading")}</div>`;let f=s.incident,v=s.state==="pending"&&!!s.expires_at&&new Date(s.expires_at).getTime()>this.now;return _`
      ${a}
      <header class="title">
        <h1>
          ${f?r.label("incident_types",f.type):s.request_id}
          ${f?.case_number?_`<span class="secondary case">${r.t("request.case",{case:f.case_number})}</span>`:y}
        </h1>
      </header>
      ${this.renderState(s,v)}
      <div class="columns ${this.narrow?"narrow":""}">
        <div>
          ${this.renderFacts(u,s)} ${this.renderPublisher(u,s)}
        </div>
        <div>
          ${v&&u.permissions.preview?this.renderFootage(s):y}
          ${v&&u.permissions.decide?this.renderDecide(u,s):y}
          ${s.deliveries.length?this.renderDeliveries(s):y}
        </div>
      </div>
    `}renderState(r,a){let s=this.l;if(this.outcome){let f=this.outcome.request.decision;return _`<div class="notice ${this.outcome.error?"warn":"ok"}" role="status">
        ${f?.decision==="share"?s.t("outcome.shared",{host:this.outcome.request.upload_host??""}):s.t("outcome.declined",{publisher:this.feed?.publisher.name??""})}
        ${this.outcome.error?_`<div>${this.outcome.error.message}</div>`:y}
      </div>`}if(a)return this.failure?_`<div class="notice error" role="alert">${this.failure.message}</div>`:y;let u;return r.decision?u=wi(this.hass,s,r.decision):r.state==="cancelled"?u=s.t("state_notice.cancelled"):r.state==="expired"||r.expires_at&&new Date(r.expires_at).getTime()<=this.now?u=s.t("state_notice.expired"):u=s.t("state_notice.other",{state:s.t(`state.${r.state}`)}),_`<div class="notice warn" role="status">
      <strong>${u}</strong>
      ${r.decision?y:_`<div>${s.t("state_notice.nothing_to_send")}</div>`}
      ${r.reasons.length?_`<ul>${r.reasons.map(f=>_`<li>${f.reason}</li>`)}</ul>`:y}
    </div>`}renderFacts(r,a){let s=this.l,u=this.hass,f=a.window;return _`<section class="card">
      <div class="card-content">
        <h3>${s.t("request.about")}</h3>
        ${a.incident?.summary?_`<p class="summary">${a.incident.summary}</p>`:y}
        <dl class="facts">
          <dt>${s.t("request.incident")}</dt>
          <dd>${a.incident?s.label("incident_types",a.incident.type):"–"}</dd>
          <dt>${s.t("request.case_number")}</dt>
          <dd>${a.incident?.case_number??s.t("request.no_case")}</dd>
          <dt>${s.t("request.legal_basis")}</dt>
          <dd>
            ${a.legal?s.label("legal_bases",a.legal.basis):"–"}
            ${a.legal?.reference?_` (${a.legal.reference})`:y}
          </dd>
          ${f?_`<dt>${s.t("request.window")}</dt>
                <dd>
                  ${ee(u,f.start,f.end)}
                  <div class="secondary">
                    ${s.t("request.length",{length:ie(s,f.seconds)})}
                  </div>
                </dd>`:y}
          ${a.distance_to_area_m!==void 0?_`<dt>${s.t("request.distance")}</dt>
                <dd>
                  ${a.distance_to_area_m===0?s.t("request.home_inside"):s.t("request.distance_edge",{distance:ne(u,s,a.distance_to_area_m)})}
                  <div class="secondary">
                    ${s.t("request.distance_centre",{distance:ne(u,s,a.distance_to_centre_m??0)})}
                  </div>
                </dd>`:y}
          ${a.expires_at?_`<dt>${s.t("request.expires")}</dt>
                <dd>
                  ${Bt(u,a.expires_at)}
                  <div class="secondary">${ve(s,a.expires_at,this.now)}</div>
                </dd>`:y}
          <dt>${s.t("request.audio")}</dt>
          <dd>${a.audio_requested?s.t("request.audio_asked"):s.t("request.audio_not_asked")}</dd>
          ${a.upload_host?_`<dt>${s.t("request.upload_host")}</dt>
                <dd class="mono">${a.upload_host}</dd>`:y}
          ${a.contact&&(a.contact.name||a.contact.phone||a.contact.email)?_`<dt>${s.t("request.contact")}</dt>
                <dd>
                  ${[a.contact.name,a.contact.phone,a.contact.email].filter(Boolean).join(" · ")}
                </dd>`:y}
          ${a.public_url||a.incident?.reference_url?_`<dt>${s.t("request.links")}</dt>
                <dd>
                  ${[a.public_url,a.incident?.reference_url].filter(v=>!!v&&/^https?:\/\//.test(v)).map(v=>_`<div><a href=${v} target="_blank" rel="noopener noreferrer">${v}</a></div>`)}
                </dd>`:y}
          <dt>${s.t("request.request_id")}</dt>
          <dd class="mono">${a.request_id} · ${s.t("request.revision",{revision:a.revision})}</dd>
        </dl>
        ${r.permissions.view?y:y}
      </div>
    </section>`}renderPublisher(r,a){let s=this.l;return _`<section class="card">
      <div class="card-content">
        <h3>${s.t("publisher.title")}</h3>
        <div class="publisher">
          <strong>${r.publisher.name}</strong>
          <span class="secondary">${s.label("publisher_kinds",r.publisher.kind)}</span>
          ${a.verified?_`<span class="badge ok">${ge("mdi:check-decagram")}${s.t("publisher.verified")}</span>`:_`<span class="badge bad">${ge("mdi:alert-decagram")}${s.t("publisher.unverified")}</span>`}
        </div>
        <p class="secondary">
          ${a.verified?s.t("publisher.verified_help"):s.t("publisher.unverified_help")}
        </p>
        <dl class="facts">
          <dt>${s.t("publisher.fingerprint",{count:r.publisher.fingerprints.length})}</dt>
          <dd class="mono">${r.publisher.fingerprints.map(u=>_`<div>${u}</div>`)}</dd>
          <dt>${s.t("publisher.feed")}</dt>
          <dd class="mono">${r.publisher.feed_host}</dd>
        </dl>
      </div>
    </section>`}async watch(r){let a=performance.now();this.previews={...this.previews,[r]:{loading:!0,tapped:a}};try{let s=await nr(this.hass,this.entryId,this.requestId,r);this.previews={...this.previews,[r]:{loading:!1,tapped:a,result:s}}}catch(s){this.previews={...this.previews,[r]:{loading:!1,tapped:a,error:it(s)}}}}renderFootage(r){let a=this.l,s=r.cameras??[];return _`<section class="card">
      <div class="card-content">
        <h3>${a.t("footage.title")}</h3>
        <p class="secondary">${a.t("footage.help")}</p>
        ${s.length?s.map(u=>{let f=this.previews[u.entity_id];return _`<div class="camera">
                <div class="camera-head">
                  <strong>${u.name}</strong>
                  <span class="badge ${u.footage==="yes"?"ok":u.footage==="no"?"bad":"info"}"
                    >${a.t(`footage.presence_${u.footage}`)}</span
                  >
                  ${dt(f?.result?a.t("footage.reload"):a.t("footage.watch"),()=>this.watch(u.entity_id),{appearance:"outlined",disabled:f?.loading,id:`watch-${u.entity_id}`})}
                </div>
                ${f?this.renderPreview(r,u.entity_id,f):u.gaps?.length?this.renderGaps(u.gaps):y}
              </div>`}):_`<p>${a.t("footage.no_cameras")}</p>`}
      </div>
    </section>`}renderPreview(r,a,s){let u=this.l;if(s.loading)return _`<div class="secondary">${u.t("footage.exporting")}</div>`;if(s.error){let C=["no_footage","camera_offline","disk_error"].includes(s.error.code);return _`<div class="notice error" role="alert" data-cause=${s.error.code}>
        <strong>${C?u.t(`footage.error_${s.error.code}`):u.t("footage.error")}</strong>
        <div>${s.error.message}</div>
      </div>`}let f=s.result,v=r.window,x=new Date(v.start).getTime(),P=Math.max(1,new Date(v.end).getTime()-x),Z=C=>{let T=tt=>Math.max(0,Math.min(100,(new Date(tt).getTime()-x)/P*100)),$=T(C.start);return`left:${$}%;width:${Math.max(.5,T(C.end)-$)}%`};return _`<video
        controls
        playsinline
        preload="auto"
        src=${f.url}
        data-camera=${a}
        @loadeddata=${C=>{let T=C.target;T.dataset.firstFrameMs=String(Math.round(performance.now()-s.tapped))}}
      ></video>
      <div class="timeline" aria-label=${u.t("footage.timeline")}>
        ${f.gaps.map(C=>_`<span class="gap" style=${Z(C)}></span>`)}
      </div>
      <div class="timeline-labels secondary">
        <span>${te(this.hass,v.start)}</span><span>${te(this.hass,v.end)}</span>
      </div>
      ${f.gaps.length?this.renderGaps(f.gaps):_`<div class="secondary">${u.t("footage.complete",{size:bi(this.hass,f.bytes)})}</div>`}`}renderGaps(r){let a=this.l;return _`<div class="notice warn gaps" data-gaps=${r.length}>
      <strong>${a.t("footage.gaps",{count:r.length})}</strong>
      <ul>
        ${r.map(s=>_`<li>
              ${te(this.hass,s.start)} – ${te(this.hass,s.end)}
              (${ie(a,(new Date(s.end).getTime()-new Date(s.start).getTime())/1e3)})${s.reason?_`: ${a.label("gap_reasons",s.reason)}`:y}
            </li>`)}
      </ul>
    </div>`}get allowedCameras(){return(this.request?.cameras??[]).map(r=>r.entity_id)}cameraName(r){return this.request?.cameras?.find(a=>a.entity_id===r)?.name??this.feed?.cameras?.find(a=>a.entity_id===r)?.name??r}renderDecide(r,a){let s=this.l,u=this.allowedCameras,f=this.chosen??new Set(u);if(this.confirming){let v=a.window,x=[...f].map(P=>this.cameraName(P));return _`<section class="card confirm" aria-label=${s.t("confirm.title")}>
        <div class="card-content">
          <h3>${s.t("confirm.title")}</h3>
          <p>${s.t("confirm.intro",{host:a.upload_host??""})}</p>
          <dl class="facts">
            <dt>${s.t("confirm.cameras",{count:x.length})}</dt>
            <dd>${x.join(", ")}</dd>
            <dt>${s.t("confirm.footage")}</dt>
            <dd>
              ${ee(this.hass,v.start,v.end)}
              (${ie(s,v.seconds)})
            </dd>
            ${this.renderConfirmGaps([...f])}
            <dt>${s.t("confirm.audio")}</dt>
            <dd>${this.audio?s.t("confirm.audio_included"):s.t("confirm.audio_not_included")}</dd>
            <dt>${s.t("confirm.recipient")}</dt>
            <dd class="mono">${a.upload_host}</dd>
            <dt>${s.t("confirm.signed")}</dt>
            <dd>${s.t("confirm.signed_detail")}</dd>
          </dl>
        </div>
        <div class="actions">
          ${dt(s.t("confirm.back"),()=>this.confirming=!1,{appearance:"plain",disabled:this.busy})}
          ${dt(s.t("confirm.send"),()=>this.decide("share"),{disabled:this.busy,id:"send"})}
        </div>
      </section>`}return _`<section class="card decide">
      <div class="card-content">
        <h3>${s.t("decide.title")}</h3>
        <p class="secondary">${s.t("decide.help")}</p>
        ${u.length?_`<fieldset>
              <legend>${s.t("decide.cameras")}</legend>
              ${u.map(v=>pr(f.has(v),x=>{let P=new Set(f);x?P.add(v):P.delete(v),this.chosen=P},this.cameraName(v),`camera-${v}`,this.busy))}
            </fieldset>`:_`<p>${s.t("footage.no_cameras")}</p>`}
        ${fr(this.audio,v=>this.audio=v,a.audio_requested?s.t("decide.audio_asked"):s.t("decide.audio"),"audio",this.busy)}
      </div>
      <div class="actions">
        ${dt(s.t("decide.decline"),()=>this.decide("decline"),{variant:"danger",appearance:"outlined",disabled:this.busy,id:"decline"})}
        ${dt(s.t("decide.share"),()=>this.confirming=!0,{disabled:this.busy||f.size===0,id:"share"})}
      </div>
    </section>`}renderConfirmGaps(r){let a=this.l,s=r.map(u=>{let f=this.previews[u]?.result?.gaps??this.request?.cameras?.find(v=>v.entity_id===u)?.gaps??[];return{camera:u,gaps:f}}).filter(({gaps:u})=>u.length);return s.length?_`<dt>${a.t("confirm.gaps")}</dt>
      <dd class="confirm-gaps">
        ${s.map(({camera:u,gaps:f})=>_`<div>
              ${this.cameraName(u)}:
              ${f.map(v=>`${te(this.hass,v.start)} – ${te(this.hass,v.end)}`+(v.reason?`: ${a.label("gap_reasons",v.reason)}`:"")).join(", ")}
            </div>`)}
      </dd>`:y}async decide(r){let a=this.allowedCameras,s=[...this.chosen??new Set(a)];this.busy=!0,this.failure=void 0;try{this.outcome=await or(this.hass,this.entryId,this.requestId,r,r==="share"?s:void 0,r==="share"&&this.audio),this.request=this.outcome.request,this.confirming=!1}catch(u){this.failure=it(u),this.confirming=!1,await this.load()}finally{this.busy=!1}}renderDeliveries(r){return _`<section class="card">
      <div class="card-content">
        <h3>${this.l.t("delivery.title")}</h3>
        ${xi(this.hass,this.l,r.deliveries,a=>this.cameraName(a))}
      </div>
    </section>`}};U.styles=[gt,Et,X`
      .back {
        margin-bottom: 8px;
      }
      h1 {
        font-size: 24px;
        font-weight: 400;
        margin: 0 0 16px;
      }
      .case {
        font-size: 18px;
        margin-left: 8px;
        white-space: nowrap;
      }
      .columns {
        display: grid;
        grid-template-columns: minmax(0, 1fr) minmax(0, 1fr);
        gap: 16px;
      }
      .columns.narrow {
        grid-template-columns: 1fr;
      }
      .summary {
        font-size: 16px;
        margin-top: 0;
      }
      .publisher {
        display: flex;
        flex-wrap: wrap;
        gap: 8px;
        align-items: center;
      }
      .camera {
        border-top: 1px solid var(--divider-color);
        padding: 12px 0;
      }
      .camera-head {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 8px;
        justify-content: space-between;
        margin-bottom: 8px;
      }
      video {
        width: 100%;
        max-height: 60vh;
        background: #000;
        border-radius: 8px;
      }
      .timeline {
        position: relative;
        height: 8px;
        border-radius: 4px;
        margin-top: 6px;
        background: var(--success-color, #43a047);
        overflow: hidden;
      }
      .gap {
        position: absolute;
        top: 0;
        bottom: 0;
        background: var(--error-color, #db4437);
      }
      .timeline-labels {
        display: flex;
        justify-content: space-between;
        font-size: 12px;
      }
      .gaps {
        margin-top: 8px;
      }
      fieldset {
        border: none;
        padding: 0;
        margin: 0 0 8px;
      }
      legend {
        color: var(--secondary-text-color);
        margin-bottom: 4px;
      }
      .confirm {
        border-color: var(--primary-color);
        border-width: 2px;
      }
    `],w([M({attribute:!1})],U.prototype,"hass",2),w([M({attribute:!1})],U.prototype,"l",2),w([M({attribute:!1})],U.prototype,"overview",2),w([M()],U.prototype,"entryId",2),w([M()],U.prototype,"requestId",2),w([M()],U.prototype,"prefix",2),w([M({type:Boolean})],U.prototype,"narrow",2),w([N()],U.prototype,"request",2),w([N()],U.prototype,"loadError",2),w([N()],U.prototype,"previews",2),w([N()],U.prototype,"chosen",2),w([N()],U.prototype,"audio",2),w([N()],U.prototype,"confirming",2),w([N()],U.prototype,"busy",2),w([N()],U.prototype,"outcome",2),w([N()],U.prototype,"failure",2),w([N()],U.prototype,"now",2),U=w([lt("nr-request-view")],U);var nt=ta(br(),1);var wr=`/* required styles */\r
\r
.leaflet-pane,\r
.leaflet-tile,\r
.leaflet-marker-icon,\r
.leaflet-marker-shadow,\r
.leaflet-tile-container,\r
.leaflet-pane > svg,\r
.leaflet-pane > canvas,\r
.leaflet-zoom-box,\r
.leaflet-image-layer,\r
.leaflet-layer {\r
	position: absolute;\r
	left: 0;\r
	top: 0;\r
	}\r
.leaflet-container {\r
	overflow: hidden;\r
	}\r
.leaflet-tile,\r
.leaflet-marker-icon,\r
.leaflet-marker-shadow {\r
	-webkit-user-select: none;\r
	   -moz-user-select: none;\r
	        user-select: none;\r
	  -webkit-user-drag: none;\r
	}\r
/* Prevents IE11 from highlighting tiles in blue */\r
.leaflet-tile::selection {\r
	background: transparent;\r
}\r
/* Safari renders non-retina tile on retina better with this, but Chrome is worse */\r
.leaflet-safari .leaflet-tile {\r
	image-rendering: -webkit-optimize-contrast;\r
	}\r
/* hack that prevents hw layers "stretching" when loading new tiles */\r
.leaflet-safari .leaflet-tile-container {\r
	width: 1600px;\r
	height: 1600px;\r
	-webkit-transform-origin: 0 0;\r
	}\r
.leaflet-marker-icon,\r
.leaflet-marker-shadow {\r
	display: block;\r
	}\r
/* .leaflet-container svg: reset svg max-width decleration shipped in Joomla! (joomla.org) 3.x */\r
/* .leaflet-container img: map is broken in FF if you have max-width: 100% on tiles */\r
.leaflet-container .leaflet-overlay-pane svg {\r
	max-width: none !important;\r
	max-height: none !important;\r
	}\r
.leaflet-container .leaflet-marker-pane img,\r
.leaflet-container .leaflet-shadow-pane img,\r
.leaflet-container .leaflet-tile-pane img,\r
.leaflet-container img.leaflet-image-layer,\r
.leaflet-container .leaflet-tile {\r
	max-width: none !important;\r
	max-height: none !important;\r
	width: auto;\r
	padding: 0;\r
	}\r
\r
.leaflet-container img.leaflet-tile {\r
	/* See: https://bugs.chromium.org/p/chromium/issues/detail?id=600120 */\r
	mix-blend-mode: plus-lighter;\r
}\r
\r
.leaflet-container.leaflet-touch-zoom {\r
	-ms-touch-action: pan-x pan-y;\r
	touch-action: pan-x pan-y;\r
	}\r
.leaflet-container.leaflet-touch-drag {\r
	-ms-touch-action: pinch-zoom;\r
	/* Fallback for FF which doesn't support pinch-zoom */\r
	touch-action: none;\r
	touch-action: pinch-zoom;\r
}\r
.leaflet-container.leaflet-touch-drag.leaflet-touch-zoom {\r
	-ms-touch-action: none;\r
	touch-action: none;\r
}\r
.leaflet-container {\r
	-webkit-tap-highlight-color: transparent;\r
}\r
.leaflet-container a {\r
	-webkit-tap-highlight-color: rgba(51, 181, 229, 0.4);\r
}\r
.leaflet-tile {\r
	filter: inherit;\r
	visibility: hidden;\r
	}\r
.leaflet-tile-loaded {\r
	visibility: inherit;\r
	}\r
.leaflet-zoom-box {\r
	width: 0;\r
	height: 0;\r
	-moz-box-sizing: border-box;\r
	     box-sizing: border-box;\r
	z-index: 800;\r
	}\r
/* workaround for https://bugzilla.mozilla.org/show_bug.cgi?id=888319 */\r
.leaflet-overlay-pane svg {\r
	-moz-user-select: none;\r
	}\r
\r
.leaflet-pane         { z-index: 400; }\r
\r
.leaflet-tile-pane    { z-index: 200; }\r
.leaflet-overlay-pane { z-index: 400; }\r
.leaflet-shadow-pane  { z-index: 500; }\r
.leaflet-marker-pane  { z-index: 600; }\r
.leaflet-tooltip-pane   { z-index: 650; }\r
.leaflet-popup-pane   { z-index: 700; }\r
\r
.leaflet-map-pane canvas { z-index: 100; }\r
.leaflet-map-pane svg    { z-index: 200; }\r
\r
.leaflet-vml-shape {\r
	width: 1px;\r
	height: 1px;\r
	}\r
.lvml {\r
	behavior: url(#default#VML);\r
	display: inline-block;\r
	position: absolute;\r
	}\r
\r
\r
/* control positioning */\r
\r
.leaflet-control {\r
	position: relative;\r
	z-index: 800;\r
	pointer-events: visiblePainted; /* IE 9-10 doesn't have auto */\r
	pointer-events: auto;\r
	}\r
.leaflet-top,\r
.leaflet-bottom {\r
	position: absolute;\r
	z-index: 1000;\r
	pointer-events: none;\r
	}\r
.leaflet-top {\r
	top: 0;\r
	}\r
.leaflet-right {\r
	right: 0;\r
	}\r
.leaflet-bottom {\r
	bottom: 0;\r
	}\r
.leaflet-left {\r
	left: 0;\r
	}\r
.leaflet-control {\r
	float: left;\r
	clear: both;\r
	}\r
.leaflet-right .leaflet-control {\r
	float: right;\r
	}\r
.leaflet-top .leaflet-control {\r
	margin-top: 10px;\r
	}\r
.leaflet-bottom .leaflet-control {\r
	margin-bottom: 10px;\r
	}\r
.leaflet-left .leaflet-control {\r
	margin-left: 10px;\r
	}\r
.leaflet-right .leaflet-control {\r
	margin-right: 10px;\r
	}\r
\r
\r
/* zoom and fade animations */\r
\r
.leaflet-fade-anim .leaflet-popup {\r
	opacity: 0;\r
	-webkit-transition: opacity 0.2s linear;\r
	   -moz-transition: opacity 0.2s linear;\r
	        transition: opacity 0.2s linear;\r
	}\r
.leaflet-fade-anim .leaflet-map-pane .leaflet-popup {\r
	opacity: 1;\r
	}\r
.leaflet-zoom-animated {\r
	-webkit-transform-origin: 0 0;\r
	    -ms-transform-origin: 0 0;\r
	        transform-origin: 0 0;\r
	}\r
svg.leaflet-zoom-animated {\r
	will-change: transform;\r
}\r
\r
.leaflet-zoom-anim .leaflet-zoom-animated {\r
	-webkit-transition: -webkit-transform 0.25s cubic-bezier(0,0,0.25,1);\r
	   -moz-transition:    -moz-transform 0.25s cubic-bezier(0,0,0.25,1);\r
	        transition:         transform 0.25s cubic-bezier(0,0,0.25,1);\r
	}\r
.leaflet-zoom-anim .leaflet-tile,\r
.leaflet-pan-anim .leaflet-tile {\r
	-webkit-transition: none;\r
	   -moz-transition: none;\r
	        transition: none;\r
	}\r
\r
.leaflet-zoom-anim .leaflet-zoom-hide {\r
	visibility: hidden;\r
	}\r
\r
\r
/* cursors */\r
\r
.leaflet-interactive {\r
	cursor: pointer;\r
	}\r
.leaflet-grab {\r
	cursor: -webkit-grab;\r
	cursor:    -moz-grab;\r
	cursor:         grab;\r
	}\r
.leaflet-crosshair,\r
.leaflet-crosshair .leaflet-interactive {\r
	cursor: crosshair;\r
	}\r
.leaflet-popup-pane,\r
.leaflet-control {\r
	cursor: auto;\r
	}\r
.leaflet-dragging .leaflet-grab,\r
.leaflet-dragging .leaflet-grab .leaflet-interactive,\r
.leaflet-dragging .leaflet-marker-draggable {\r
	cursor: move;\r
	cursor: -webkit-grabbing;\r
	cursor:    -moz-grabbing;\r
	cursor:         grabbing;\r
	}\r
\r
/* marker & overlays interactivity */\r
.leaflet-marker-icon,\r
.leaflet-marker-shadow,\r
.leaflet-image-layer,\r
.leaflet-pane > svg path,\r
.leaflet-tile-container {\r
	pointer-events: none;\r
	}\r
\r
.leaflet-marker-icon.leaflet-interactive,\r
.leaflet-image-layer.leaflet-interactive,\r
.leaflet-pane > svg path.leaflet-interactive,\r
svg.leaflet-image-layer.leaflet-interactive path {\r
	pointer-events: visiblePainted; /* IE 9-10 doesn't have auto */\r
	pointer-events: auto;\r
	}\r
\r
/* visual tweaks */\r
\r
.leaflet-container {\r
	background: #ddd;\r
	outline-offset: 1px;\r
	}\r
.leaflet-container a {\r
	color: #0078A8;\r
	}\r
.leaflet-zoom-box {\r
	border: 2px dotted #38f;\r
	background: rgba(255,255,255,0.5);\r
	}\r
\r
\r
/* general typography */\r
.leaflet-container {\r
	font-family: "Helvetica Neue", Arial, Helvetica, sans-serif;\r
	font-size: 12px;\r
	font-size: 0.75rem;\r
	line-height: 1.5;\r
	}\r
\r
\r
/* general toolbar styles */\r
\r
.leaflet-bar {\r
	box-shadow: 0 1px 5px rgba(0,0,0,0.65);\r
	border-radius: 4px;\r
	}\r
.leaflet-bar a {\r
	background-color: #fff;\r
	border-bottom: 1px solid #ccc;\r
	width: 26px;\r
	height: 26px;\r
	line-height: 26px;\r
	display: block;\r
	text-align: center;\r
	text-decoration: none;\r
	color: black;\r
	}\r
.leaflet-bar a,\r
.leaflet-control-layers-toggle {\r
	background-position: 50% 50%;\r
	background-repeat: no-repeat;\r
	display: block;\r
	}\r
.leaflet-bar a:hover,\r
.leaflet-bar a:focus {\r
	background-color: #f4f4f4;\r
	}\r
.leaflet-bar a:first-child {\r
	border-top-left-radius: 4px;\r
	border-top-right-radius: 4px;\r
	}\r
.leaflet-bar a:last-child {\r
	border-bottom-left-radius: 4px;\r
	border-bottom-right-radius: 4px;\r
	border-bottom: none;\r
	}\r
.leaflet-bar a.leaflet-disabled {\r
	cursor: default;\r
	background-color: #f4f4f4;\r
	color: #bbb;\r
	}\r
\r
.leaflet-touch .leaflet-bar a {\r
	width: 30px;\r
	height: 30px;\r
	line-height: 30px;\r
	}\r
.leaflet-touch .leaflet-bar a:first-child {\r
	border-top-left-radius: 2px;\r
	border-top-right-radius: 2px;\r
	}\r
.leaflet-touch .leaflet-bar a:last-child {\r
	border-bottom-left-radius: 2px;\r
	border-bottom-right-radius: 2px;\r
	}\r
\r
/* zoom control */\r
\r
.leaflet-control-zoom-in,\r
.leaflet-control-zoom-out {\r
	font: bold 18px 'Lucida Console', Monaco, monospace;\r
	text-indent: 1px;\r
	}\r
\r
.leaflet-touch .leaflet-control-zoom-in, .leaflet-touch .leaflet-control-zoom-out  {\r
	font-size: 22px;\r
	}\r
\r
\r
/* layers control */\r
\r
.leaflet-control-layers {\r
	box-shadow: 0 1px 5px rgba(0,0,0,0.4);\r
	background: #fff;\r
	border-radius: 5px;\r
	}\r
.leaflet-control-layers-toggle {\r
	background-image: url(images/layers.png);\r
	width: 36px;\r
	height: 36px;\r
	}\r
.leaflet-retina .leaflet-control-layers-toggle {\r
	background-image: url(images/layers-2x.png);\r
	background-size: 26px 26px;\r
	}\r
.leaflet-touch .leaflet-control-layers-toggle {\r
	width: 44px;\r
	height: 44px;\r
	}\r
.leaflet-control-layers .leaflet-control-layers-list,\r
.leaflet-control-layers-expanded .leaflet-control-layers-toggle {\r
	display: none;\r
	}\r
.leaflet-control-layers-expanded .leaflet-control-layers-list {\r
	display: block;\r
	position: relative;\r
	}\r
.leaflet-control-layers-expanded {\r
	padding: 6px 10px 6px 6px;\r
	color: #333;\r
	background: #fff;\r
	}\r
.leaflet-control-layers-scrollbar {\r
	overflow-y: scroll;\r
	overflow-x: hidden;\r
	padding-right: 5px;\r
	}\r
.leaflet-control-layers-selector {\r
	margin-top: 2px;\r
	position: relative;\r
	top: 1px;\r
	}\r
.leaflet-control-layers label {\r
	display: block;\r
	font-size: 13px;\r
	font-size: 1.08333em;\r
	}\r
.leaflet-control-layers-separator {\r
	height: 0;\r
	border-top: 1px solid #ddd;\r
	margin: 5px -10px 5px -6px;\r
	}\r
\r
/* Default icon URLs */\r
.leaflet-default-icon-path { /* used only in path-guessing heuristic, see L.Icon.Default */\r
	background-image: url(images/marker-icon.png);\r
	}\r
\r
\r
/* attribution and scale controls */\r
\r
.leaflet-container .leaflet-control-attribution {\r
	background: #fff;\r
	background: rgba(255, 255, 255, 0.8);\r
	margin: 0;\r
	}\r
.leaflet-control-attribution,\r
.leaflet-control-scale-line {\r
	padding: 0 5px;\r
	color: #333;\r
	line-height: 1.4;\r
	}\r
.leaflet-control-attribution a {\r
	text-decoration: none;\r
	}\r
.leaflet-control-attribution a:hover,\r
.leaflet-control-attribution a:focus {\r
	text-decoration: underline;\r
	}\r
.leaflet-attribution-flag {\r
	display: inline !important;\r
	vertical-align: baseline !important;\r
	width: 1em;\r
	height: 0.6669em;\r
	}\r
.leaflet-left .leaflet-control-scale {\r
	margin-left: 5px;\r
	}\r
.leaflet-bottom .leaflet-control-scale {\r
	margin-bottom: 5px;\r
	}\r
.leaflet-control-scale-line {\r
	border: 2px solid #777;\r
	border-top: none;\r
	line-height: 1.1;\r
	padding: 2px 5px 1px;\r
	white-space: nowrap;\r
	-moz-box-sizing: border-box;\r
	     box-sizing: border-box;\r
	background: rgba(255, 255, 255, 0.8);\r
	text-shadow: 1px 1px #fff;\r
	}\r
.leaflet-control-scale-line:not(:first-child) {\r
	border-top: 2px solid #777;\r
	border-bottom: none;\r
	margin-top: -2px;\r
	}\r
.leaflet-control-scale-line:not(:first-child):not(:last-child) {\r
	border-bottom: 2px solid #777;\r
	}\r
\r
.leaflet-touch .leaflet-control-attribution,\r
.leaflet-touch .leaflet-control-layers,\r
.leaflet-touch .leaflet-bar {\r
	box-shadow: none;\r
	}\r
.leaflet-touch .leaflet-control-layers,\r
.leaflet-touch .leaflet-bar {\r
	border: 2px solid rgba(0,0,0,0.2);\r
	background-clip: padding-box;\r
	}\r
\r
\r
/* popup */\r
\r
.leaflet-popup {\r
	position: absolute;\r
	text-align: center;\r
	margin-bottom: 20px;\r
	}\r
.leaflet-popup-content-wrapper {\r
	padding: 1px;\r
	text-align: left;\r
	border-radius: 12px;\r
	}\r
.leaflet-popup-content {\r
	margin: 13px 24px 13px 20px;\r
	line-height: 1.3;\r
	font-size: 13px;\r
	font-size: 1.08333em;\r
	min-height: 1px;\r
	}\r
.leaflet-popup-content p {\r
	margin: 17px 0;\r
	margin: 1.3em 0;\r
	}\r
.leaflet-popup-tip-container {\r
	width: 40px;\r
	height: 20px;\r
	position: absolute;\r
	left: 50%;\r
	margin-top: -1px;\r
	margin-left: -20px;\r
	overflow: hidden;\r
	pointer-events: none;\r
	}\r
.leaflet-popup-tip {\r
	width: 17px;\r
	height: 17px;\r
	padding: 1px;\r
\r
	margin: -10px auto 0;\r
	pointer-events: auto;\r
\r
	-webkit-transform: rotate(45deg);\r
	   -moz-transform: rotate(45deg);\r
	    -ms-transform: rotate(45deg);\r
	        transform: rotate(45deg);\r
	}\r
.leaflet-popup-content-wrapper,\r
.leaflet-popup-tip {\r
	background: white;\r
	color: #333;\r
	box-shadow: 0 3px 14px rgba(0,0,0,0.4);\r
	}\r
.leaflet-container a.leaflet-popup-close-button {\r
	position: absolute;\r
	top: 0;\r
	right: 0;\r
	border: none;\r
	text-align: center;\r
	width: 24px;\r
	height: 24px;\r
	font: 16px/24px Tahoma, Verdana, sans-serif;\r
	color: #757575;\r
	text-decoration: none;\r
	background: transparent;\r
	}\r
.leaflet-container a.leaflet-popup-close-button:hover,\r
.leaflet-container a.leaflet-popup-close-button:focus {\r
	color: #585858;\r
	}\r
.leaflet-popup-scrolled {\r
	overflow: auto;\r
	}\r
\r
.leaflet-oldie .leaflet-popup-content-wrapper {\r
	-ms-zoom: 1;\r
	}\r
.leaflet-oldie .leaflet-popup-tip {\r
	width: 24px;\r
	margin: 0 auto;\r
\r
	-ms-filter: "progid:DXImageTransform.Microsoft.Matrix(M11=0.70710678, M12=0.70710678, M21=-0.70710678, M22=0.70710678)";\r
	filter: progid:DXImageTransform.Microsoft.Matrix(M11=0.70710678, M12=0.70710678, M21=-0.70710678, M22=0.70710678);\r
	}\r
\r
.leaflet-oldie .leaflet-control-zoom,\r
.leaflet-oldie .leaflet-control-layers,\r
.leaflet-oldie .leaflet-popup-content-wrapper,\r
.leaflet-oldie .leaflet-popup-tip {\r
	border: 1px solid #999;\r
	}\r
\r
\r
/* div icon */\r
\r
.leaflet-div-icon {\r
	background: #fff;\r
	border: 1px solid #666;\r
	}\r
\r
\r
/* Tooltip */\r
/* Base styles for the element that has a tooltip */\r
.leaflet-tooltip {\r
	position: absolute;\r
	padding: 6px;\r
	background-color: #fff;\r
	border: 1px solid #fff;\r
	border-radius: 3px;\r
	color: #222;\r
	white-space: nowrap;\r
	-webkit-user-select: none;\r
	-moz-user-select: none;\r
	-ms-user-select: none;\r
	user-select: none;\r
	pointer-events: none;\r
	box-shadow: 0 1px 3px rgba(0,0,0,0.4);\r
	}\r
.leaflet-tooltip.leaflet-interactive {\r
	cursor: pointer;\r
	pointer-events: auto;\r
	}\r
.leaflet-tooltip-top:before,\r
.leaflet-tooltip-bottom:before,\r
.leaflet-tooltip-left:before,\r
.leaflet-tooltip-right:before {\r
	position: absolute;\r
	pointer-events: none;\r
	border: 6px solid transparent;\r
	background: transparent;\r
	content: "";\r
	}\r
\r
/* Directions */\r
\r
.leaflet-tooltip-bottom {\r
	margin-top: 6px;\r
}\r
.leaflet-tooltip-top {\r
	margin-top: -6px;\r
}\r
.leaflet-tooltip-bottom:before,\r
.leaflet-tooltip-top:before {\r
	left: 50%;\r
	margin-left: -6px;\r
	}\r
.leaflet-tooltip-top:before {\r
	bottom: 0;\r
	margin-bottom: -12px;\r
	border-top-color: #fff;\r
	}\r
.leaflet-tooltip-bottom:before {\r
	top: 0;\r
	margin-top: -12px;\r
	margin-left: -6px;\r
	border-bottom-color: #fff;\r
	}\r
.leaflet-tooltip-left {\r
	margin-left: -6px;\r
}\r
.leaflet-tooltip-right {\r
	margin-left: 6px;\r
}\r
.leaflet-tooltip-left:before,\r
.leaflet-tooltip-right:before {\r
	top: 50%;\r
	margin-top: -6px;\r
	}\r
.leaflet-tooltip-left:before {\r
	right: 0;\r
	margin-right: -12px;\r
	border-left-color: #fff;\r
	}\r
.leaflet-tooltip-right:before {\r
	left: 0;\r
	margin-left: -12px;\r
	border-right-color: #fff;\r
	}\r
\r
/* Printing */\r
\r
@media print {\r
	/* Prevent printers from removing background-images of controls. */\r
	.leaflet-control {\r
		-webkit-print-color-adjust: exact;\r
		print-color-adjust: exact;\r
		}\r
	}\r
`;var Ta="https://basemaps.cartocdn.com/{style}/{z}/{x}/{y}{r}.png",$a='&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>, &copy; <a href="https://carto.com/attributions">CARTO</a>',Pt=class extends Y{constructor(){super(...arguments);this.cameras=[];this.requests=[];this.dark=!1;this.labels={home:"Home",camera:"Camera"};this.fitted=""}render(){return _`<div id="map"></div>`}firstUpdated(){let r=this.renderRoot.querySelector("#map");this.map=nt.default.map(r,{zoomControl:!0,attributionControl:!0,preferCanvas:!0}).setView([0,0],2),this.shapes=nt.default.featureGroup().addTo(this.map),new ResizeObserver(()=>this.map?.invalidateSize()).observe(r)}updated(r){this.map&&((r.has("dark")||!this.tiles)&&(this.tiles?.remove(),this.tiles=nt.default.tileLayer(Ta,{style:this.dark?"dark_all":"light_all",attribution:$a,maxZoom:19,subdomains:"abcd"}).addTo(this.map)),this.draw())}draw(){let r=this.shapes;r.clearLayers();let a=0,s=0,u=0,f=getComputedStyle(this),v=f.getPropertyValue("--accent-color").trim()||"#ff9800",x=f.getPropertyValue("--primary-color").trim()||"#03a9f4",P=f.getPropertyValue("--primary-text-color").trim()||"#212121";for(let T of this.cameras){if(!T.location||T.policy==="never")continue;let $=nt.default.latLng(T.location.latitude,T.location.longitude);if(T.view_radius_m>0){let tt={color:P,weight:1,dashArray:"4 4",fillOpacity:.08},Dt=T.view_direction;(Dt!==null&&T.view_angle<360?nt.default.polygon(Ea($,T.view_radius_m,Dt,T.view_angle),tt):nt.default.circle($,{...tt,radius:T.view_radius_m})).bindTooltip(`${this.labels.camera}: ${T.name}`).addTo(r),Dt!==null&&T.view_angle<360&&(u+=1)}nt.default.circleMarker($,{radius:5,color:P,weight:2,fillOpacity:.8}).bindTooltip(T.name).addTo(r)}for(let T of this.requests){let $=T.area;if(!$)continue;let tt=T.key===this.selected,Dt={color:v,weight:tt?4:2,fillOpacity:tt?.3:.15},Fe=T.incident?.case_number||T.request_id||"";($.type==="circle"?nt.default.circle([$.latitude,$.longitude],{...Dt,radius:$.radius_m}):nt.default.polygon($.points.map(([ye,oe])=>nt.default.latLng(ye,oe)),Dt)).bindTooltip(Fe).on("click",()=>this.dispatchEvent(new CustomEvent("request-selected",{detail:T,bubbles:!0,composed:!0}))).addTo(r),a+=1,$.type==="polygon"&&(s+=1)}if(this.dataset.areas=String(a),this.dataset.cameras=String(this.cameras.filter(T=>T.location&&T.policy!=="never").length),this.dataset.polygons=String(s),this.dataset.cones=String(u),this.dataset.home=this.home?"1":"0",this.home){let T=nt.default.latLng(this.home.latitude,this.home.longitude);nt.default.circle(T,{radius:Math.max(this.home.radius_m,10),color:x,weight:2,fillOpacity:.3}).bindTooltip(this.labels.home,{permanent:!1}).addTo(r),nt.default.circleMarker(T,{radius:6,color:x,fillOpacity:1}).addTo(r)}let Z=this.requests.map(T=>T.key).join("|");if(Z===this.fitted)return;this.fitted=Z;let C=r.getBounds();C.isValid()?this.map.fitBounds(C.pad(.15),{maxZoom:17}):this.map.setView([0,0],2)}};Pt.styles=[ci(wr),X`
      :host {
        display: block;
        height: 100%;
        min-height: 240px;
      }
      #map {
        height: 100%;
        min-height: inherit;
        border-radius: inherit;
        background: var(--secondary-background-color, #e5e3df);
      }
      .leaflet-container {
        font: inherit;
      }
    `],w([M({attribute:!1})],Pt.prototype,"home",2),w([M({attribute:!1})],Pt.prototype,"cameras",2),w([M({attribute:!1})],Pt.prototype,"requests",2),w([M({type:Boolean})],Pt.prototype,"dark",2),w([M({attribute:!1})],Pt.prototype,"labels",2),w([M({attribute:!1})],Pt.prototype,"selected",2),Pt=w([lt("nr-map")],Pt);var Sa=63710088e-1,Ea=(d,l,r,a)=>{let s=Math.PI/180,u=d.lat*s,f=d.lng*s,v=l/Sa,x=Math.max(2,Math.ceil(a/5)),P=[d];for(let Z=0;Z<=x;Z+=1){let C=(r-a/2+a*Z/x)*s,T=Math.asin(Math.sin(u)*Math.cos(v)+Math.cos(u)*Math.sin(v)*Math.cos(C)),$=f+Math.atan2(Math.sin(C)*Math.sin(v)*Math.cos(u),Math.cos(v)-Math.sin(u)*Math.sin(T));P.push(nt.default.latLng(T/s,$/s))}return P};var kt=class extends Y{constructor(){super(...arguments);this.prefix="";this.narrow=!1;this.now=Date.now();this.painted=!1}connectedCallback(){super.connectedCallback(),this.timer=window.setInterval(()=>{this.now=Date.now()},3e4)}disconnectedCallback(){super.disconnectedCallback(),window.clearInterval(this.timer)}updated(){if(this.painted)return;this.painted=!0;let r=this.renderRoot.querySelector("nr-map");Promise.resolve(r?.updateComplete).then(()=>requestAnimationFrame(()=>{performance.mark("nr-panel-rendered"),performance.measure("nr-panel-first-render","nr-panel-connected","nr-panel-rendered")}))}open(r){Ft(`${this.prefix}/request/${r.entry_id}/${encodeURIComponent(r.request_id??"")}`)}render(){let r=this.overview.feeds.filter(u=>u.permissions.view),a=r.flatMap(u=>u.requests??[]),s=r[0];return _`
      ${r.map(u=>this.renderFeedNotices(u))}
      <div class="layout ${this.narrow?"narrow":""}">
        <section class="list" aria-label=${this.l.t("requests.open")}>
          <h2>
            ${this.l.t("requests.count",{count:a.length})}
          </h2>
          ${a.length?r.map(u=>(u.requests??[]).map(f=>this.renderRow(u,f))):_`<div class="card"><div class="card-content secondary">
                ${this.l.t("requests.none")}
              </div></div>`}
        </section>
        ${s?_`<section class="card map" aria-label=${this.l.t("requests.map")}>
              <nr-map
                .home=${s.home}
                .cameras=${r.flatMap(u=>u.cameras??[])}
                .requests=${a}
                .dark=${!!this.hass.themes?.darkMode}
                .labels=${{home:this.l.t("map.home"),camera:this.l.t("map.camera")}}
                @request-selected=${u=>this.open(u.detail)}
              ></nr-map>
            </section>`:y}
      </div>
    `}renderFeedNotices(r){return _`${r.on_hold?_`<div class="notice warn">${this.l.t("requests.on_hold",{publisher:r.publisher.name})}</div>`:y}
    ${r.paused?_`<div class="notice">${this.l.t("requests.paused",{publisher:r.publisher.name})}</div>`:y}`}renderRow(r,a){let s=this.l,u=a.incident;return _`<a
      class="card row"
      href=${`${this.prefix}/request/${a.entry_id}/${encodeURIComponent(a.request_id??"")}`}
      @click=${f=>{f.preventDefault(),this.open(a)}}
    >
      <div class="card-content">
        <div class="head">
          <span class="incident">${u?s.label("incident_types",u.type):a.request_id}</span>
          ${a.verified?_`<span class="badge ok">${ge("mdi:check-decagram")}${s.t("publisher.verified")}</span>`:_`<span class="badge bad">${ge("mdi:alert-decagram")}${s.t("publisher.unverified")}</span>`}
        </div>
        <div class="secondary">
          ${r.publisher.name}${u?.case_number?_` · ${s.t("request.case",{case:u.case_number})}`:y}
        </div>
        ${a.window?_`<div>${ee(this.hass,a.window.start,a.window.end)}</div>`:y}
        <div class="meta secondary">
          ${a.distance_to_area_m!==void 0?_`<span>${a.distance_to_area_m===0?s.t("request.home_inside"):s.t("request.distance_short",{distance:ne(this.hass,s,a.distance_to_area_m)})}</span>`:y}
          ${a.expires_at?_`<span>${ve(s,a.expires_at,this.now)}</span>`:y}
        </div>
      </div>
    </a>`}};kt.styles=[gt,Et,X`
      .layout {
        display: grid;
        grid-template-columns: minmax(0, 1fr) minmax(0, 1.2fr);
        gap: 16px;
        align-items: start;
      }
      .layout.narrow {
        grid-template-columns: 1fr;
      }
      .layout.narrow .map {
        order: -1;
        height: 260px;
        position: static;
      }
      .map {
        height: calc(100vh - 180px);
        min-height: 320px;
        position: sticky;
        top: 16px;
        overflow: hidden;
        margin: 0;
      }
      a.row {
        text-decoration: none;
        color: inherit;
        cursor: pointer;
      }
      a.row:hover,
      a.row:focus-visible {
        border-color: var(--primary-color);
      }
      .head {
        display: flex;
        justify-content: space-between;
        gap: 8px;
        align-items: baseline;
        flex-wrap: wrap;
      }
      .incident {
        font-size: 18px;
        font-weight: 500;
      }
      .meta {
        display: flex;
        flex-wrap: wrap;
        gap: 4px 16px;
        margin-top: 4px;
      }
      h2 {
        margin: 0 0 12px;
      }
    `],w([M({attribute:!1})],kt.prototype,"hass",2),w([M({attribute:!1})],kt.prototype,"l",2),w([M({attribute:!1})],kt.prototype,"overview",2),w([M()],kt.prototype,"prefix",2),w([M({type:Boolean})],kt.prototype,"narrow",2),w([N()],kt.prototype,"now",2),kt=w([lt("nr-requests-view")],kt);var vt=class extends Y{constructor(){super(...arguments);this.recipients=[];this.now=Date.now()}connectedCallback(){super.connectedCallback(),this.timer=window.setInterval(()=>{this.now=Date.now(),this.code&&this.refresh()},5e3),this.refresh()}disconnectedCallback(){super.disconnectedCallback(),window.clearInterval(this.timer)}willUpdate(r){r.has("overview")&&r.get("overview")&&this.refresh()}async refresh(){try{this.recipients=(await hr(this.hass)).recipients}catch(r){this.error=it(r)}}can(r){return this.overview.feeds.some(a=>a.permissions[r])}async create(r){this.error=void 0;try{this.code=await lr(this.hass,r)}catch(a){this.error=it(a)}}async unlink(r){if(confirm(this.l.t("telegram.unlink_confirm",{name:r.name})))try{this.recipients=(await dr(this.hass,r.telegram_user_id)).recipients}catch(a){this.error=it(a)}}render(){let r=this.l,a=this.code,s=a&&new Date(a.expires_at).getTime()>this.now;return _`
      ${this.error?_`<div class="notice error" role="alert">${this.error.message}</div>`:y}
      <section class="card">
        <div class="card-content">
          <h2>${r.t("telegram.title")}</h2>
          <p>${r.t("telegram.help")}</p>
          ${s?_`<div class="code-box" role="status">
                <div class="secondary">${a.group?r.t("telegram.group_code"):r.t("telegram.personal_code")}</div>
                <div class="code" data-code=${a.code}>${a.code}</div>
                <div class="secondary">${ve(r,a.expires_at,this.now)}</div>
                <ol>
                  ${(a.group?[r.t("telegram.group_step1"),r.t("telegram.group_step2",{code:a.code})]:[r.t("telegram.step1"),r.t("telegram.step2"),r.t("telegram.step3",{code:a.code})]).map(u=>_`<li>${u}</li>`)}
                </ol>
              </div>`:a?_`<div class="notice warn">${r.t("telegram.code_expired")}</div>`:y}
        </div>
        <div class="actions">
          ${this.can("manage_links")?dt(r.t("telegram.create_group"),()=>this.create(!0),{appearance:"outlined",id:"group-code"}):y}
          ${this.can("link_self")?dt(r.t("telegram.create_personal"),()=>this.create(!1),{id:"personal-code"}):y}
        </div>
      </section>
      <section class="card">
        <div class="card-content">
          <h3>${r.t("telegram.linked",{count:this.recipients.length})}</h3>
          ${this.recipients.length?_`<ul class="linked">
                ${this.recipients.map(u=>_`<li>
                    <div>
                      <strong>${u.name}</strong>
                      <span class="badge info">${r.t(`telegram.kind_${u.kind}`)}</span>
                      <div class="secondary">${r.t("telegram.linked_at",{when:Bt(this.hass,u.linked_at)})}</div>
                    </div>
                    ${dt(r.t("telegram.unlink"),()=>this.unlink(u),{variant:"danger",appearance:"plain"})}
                  </li>`)}
              </ul>`:_`<p class="secondary">${r.t("telegram.none")}</p>`}
        </div>
      </section>
    `}};vt.styles=[gt,Et,X`
      .code-box {
        border: 1px dashed var(--primary-color);
        border-radius: 8px;
        padding: 12px 16px;
      }
      .code {
        font-size: 32px;
        letter-spacing: 6px;
        font-family: var(--ha-font-family-code, monospace);
        margin: 4px 0;
      }
      ul.linked {
        list-style: none;
        padding: 0;
        margin: 0;
      }
      ul.linked li {
        display: flex;
        justify-content: space-between;
        align-items: center;
        gap: 8px;
        padding: 8px 0;
        border-bottom: 1px solid var(--divider-color);
      }
    `],w([M({attribute:!1})],vt.prototype,"hass",2),w([M({attribute:!1})],vt.prototype,"l",2),w([M({attribute:!1})],vt.prototype,"overview",2),w([N()],vt.prototype,"code",2),w([N()],vt.prototype,"recipients",2),w([N()],vt.prototype,"error",2),w([N()],vt.prototype,"now",2),vt=w([lt("nr-telegram-view")],vt);var Ca=["requests","history","report","telegram"],ct=class extends Y{constructor(){super(...arguments);this.narrow=!1;this.ready=!1}connectedCallback(){super.connectedCallback(),performance.clearMarks("nr-panel-connected"),performance.mark("nr-panel-connected"),this.hass&&!this.unsubscribe&&this.subscribe()}disconnectedCallback(){super.disconnectedCallback(),this.unsubscribe?.then(r=>r()).catch(()=>{}),this.unsubscribe=void 0}willUpdate(r){if(!this.hass)return;let a=this.hass.locale?.language||this.hass.language;if(!this.localizer||r.has("hass")&&this.localizer.language!==a){let s=new gi(this.hass);(!this.localizer||s.language!==this.localizer.language)&&(this.localizer=s,s.loadServerLabels(this.hass).then(()=>this.requestUpdate()))}!this.unsubscribe&&this.isConnected&&this.subscribe()}firstUpdated(){ur().then(()=>{this.ready=!0})}subscribe(){this.unsubscribe=er(this.hass,r=>{this.overview=r,this.error=void 0}),this.unsubscribe.catch(r=>{this.error=it(r).message,this.unsubscribe=void 0})}get parts(){return(this.route?.path??"").split("/").filter(Boolean)}get tab(){let r=this.parts[0];return r==="request"?"requests":Ca.includes(r)?r:"requests"}allowedTabs(){let r=this.overview?.feeds??[],a=u=>r.some(f=>f.permissions[u]),s=[];return a("view")&&s.push("requests"),a("report")&&s.push("history"),(a("report")||a("audit"))&&s.push("report"),(a("link_self")||a("manage_links"))&&s.push("telegram"),s}render(){let r=this.localizer;if(!this.hass||!r)return y;let a=this.route?.prefix??"/neighborhood-requests",s=this.allowedTabs(),u=this.tab;return _`
      <div class="toolbar">
        ${_e("ha-menu-button")?_`<ha-menu-button .hass=${this.hass} .narrow=${this.narrow}></ha-menu-button>`:y}
        <div class="title">${r.t("panel.title")}</div>
      </div>
      ${s.length>1?_`<nav class="tabs" role="tablist">
            ${s.map(f=>_`<a
                role="tab"
                href=${`${a}/${f==="requests"?"":f}`}
                aria-selected=${f===u?"true":"false"}
                class=${f===u?"active":""}
                @click=${v=>{v.preventDefault(),Ft(`${a}/${f==="requests"?"":f}`)}}
                >${r.t(`tab.${f}`)}</a
              >`)}
          </nav>`:y}
      <main class=${`${this.narrow?"narrow":""} ${this.ready?"ready":""}`}>${this.renderView(r,a,s)}</main>
    `}renderView(r,a,s){if(this.error)return _`<div class="notice error">${this.error}</div>`;let u=this.overview;if(!u)return _`<div class="loading secondary">${r.t("panel.loading")}</div>`;if(!u.feeds.length)return _`<div class="card"><div class="card-content">
        <h2>${r.t("panel.not_allowed_title")}</h2>
        <p>${r.t("panel.not_allowed")}</p>
      </div></div>`;let f=this.parts;if(f[0]==="request"&&f.length>=3)return _`<nr-request-view
        .hass=${this.hass}
        .l=${r}
        .overview=${u}
        .entryId=${f[1]}
        .requestId=${decodeURIComponent(f.slice(2).join("/"))}
        .prefix=${a}
        .narrow=${this.narrow}
      ></nr-request-view>`;switch(s.includes(this.tab)?this.tab:s[0]){case"history":return _`<nr-history-view .hass=${this.hass} .l=${r} .overview=${u}
          .prefix=${a}></nr-history-view>`;case"report":return _`<nr-report-view .hass=${this.hass} .l=${r} .overview=${u}></nr-report-view>`;case"telegram":return _`<nr-telegram-view .hass=${this.hass} .l=${r} .overview=${u}></nr-telegram-view>`;default:return _`<nr-requests-view
          .hass=${this.hass}
          .l=${r}
          .overview=${u}
          .prefix=${a}
          .narrow=${this.narrow}
        ></nr-requests-view>`}}};ct.styles=[gt,X`
      :host {
        display: block;
        min-height: 100vh;
        background: var(--primary-background-color);
      }
      .toolbar {
        display: flex;
        align-items: center;
        height: var(--header-height, 56px);
        padding: 0 12px;
        box-sizing: border-box;
        background: var(--app-header-background-color, var(--primary-color));
        color: var(--app-header-text-color, var(--text-primary-color, #fff));
        border-bottom: var(--app-header-border-bottom, none);
        font-size: 20px;
        gap: 8px;
      }
      .title {
        margin-left: 8px;
        font-weight: 400;
      }
      .tabs {
        display: flex;
        gap: 4px;
        padding: 0 12px;
        background: var(--app-header-background-color, var(--primary-color));
        overflow-x: auto;
      }
      .tabs a {
        color: var(--app-header-text-color, var(--text-primary-color, #fff));
        opacity: 0.75;
        text-decoration: none;
        padding: 10px 12px;
        border-bottom: 2px solid transparent;
        white-space: nowrap;
        font-weight: 500;
      }
      .tabs a.active {
        opacity: 1;
        border-bottom-color: var(--app-header-text-color, var(--text-primary-color, #fff));
      }
      main {
        padding: 16px;
        max-width: 1200px;
        margin: 0 auto;
        box-sizing: border-box;
      }
      main.narrow {
        padding: 8px;
      }
      .loading {
        padding: 32px;
        text-align: center;
      }
    `],w([M({attribute:!1})],ct.prototype,"hass",2),w([M({type:Boolean,reflect:!0})],ct.prototype,"narrow",2),w([M({attribute:!1})],ct.prototype,"route",2),w([M({attribute:!1})],ct.prototype,"panel",2),w([N()],ct.prototype,"overview",2),w([N()],ct.prototype,"error",2),w([N()],ct.prototype,"localizer",2),w([N()],ct.prototype,"ready",2),ct=w([lt("neighborhood-requests-panel")],ct);export{ct as NeighborhoodRequestsPanel};
/*! Bundled license information:

leaflet/dist/leaflet-src.js:
  (* @preserve
   * Leaflet 1.9.4, a JS library for interactive maps. https://leafletjs.com
   * (c) 2010-2023 Vladimir Agafonkin, (c) 2010-2011 CloudMade
   *)

@lit/reactive-element/css-tag.js:
  (**
   * @license
   * Copyright 2019 Google LLC
   * SPDX-License-Identifier: BSD-3-Clause
   *)

@lit/reactive-element/reactive-element.js:
lit-html/lit-html.js:
lit-element/lit-element.js:
@lit/reactive-element/decorators/custom-element.js:
@lit/reactive-element/decorators/property.js:
@lit/reactive-element/decorators/state.js:
@lit/reactive-element/decorators/event-options.js:
@lit/reactive-element/decorators/base.js:
@lit/reactive-element/decorators/query.js:
@lit/reactive-element/decorators/query-all.js:
@lit/reactive-element/decorators/query-async.js:
@lit/reactive-element/decorators/query-assigned-nodes.js:
  (**
   * @license
   * Copyright 2017 Google LLC
   * SPDX-License-Identifier: BSD-3-Clause
   *)

lit-html/is-server.js:
  (**
   * @license
   * Copyright 2022 Google LLC
   * SPDX-License-Identifier: BSD-3-Clause
   *)

@lit/reactive-element/decorators/query-assigned-elements.js:
  (**
   * @license
   * Copyright 2021 Google LLC
   * SPDX-License-Identifier: BSD-3-Clause
   *)
*/
