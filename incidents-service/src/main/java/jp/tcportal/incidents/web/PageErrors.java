package jp.tcportal.incidents.web;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.ModelAndView;

/** The pages' outcomes: a friendly error page with the right status. */
@ControllerAdvice(annotations = Controller.class)
@Order(Ordered.LOWEST_PRECEDENCE)
class PageErrors {

  @ExceptionHandler(InvalidRequestException.class)
  ModelAndView invalid(InvalidRequestException e) {
    return ErrorPage.view(HttpStatus.BAD_REQUEST, e.getMessage());
  }

  @ExceptionHandler({NotFoundException.class, MethodArgumentTypeMismatchException.class})
  ModelAndView notFound(Exception e) {
    return ErrorPage.view(HttpStatus.NOT_FOUND, null);
  }
}
